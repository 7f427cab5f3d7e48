import type { Funnel } from "../../domain/funnel.ts";
import type { Env } from "../env.ts";
import { saveCampaignState } from "./campaign-store.ts";
import { keptStatuses, type KeptStatus } from "./d1-statuses.ts";
import { callD1, callRoom, roomOf } from "./room.ts";

export interface ReconcileReport {
  campaignId: string;
  /** recipients the object had below their status in D1 */
  lifted: number;
  before: Funnel;
  after: Funnel;
}

/**
 * Brings a campaign's counters back to what D1 kept. D1 is written before
 * the object, so D1 is never behind: first every recipient the object has
 * lower than D1 is lifted (statuses only move up, so this is safe to run at
 * any time, even while events flow), then the counters are recounted from
 * the object's own rows. Whatever differed is logged.
 */
export async function reconcileCampaign(
  env: Env,
  campaignId: string,
): Promise<ReconcileReport | null> {
  const room = roomOf(env, campaignId);
  let lifted = 0;
  for await (const page of keptStatuses(env.DB, campaignId)) {
    lifted += await liftRoom(env, campaignId, page);
  }
  const repair = await callRoom("recount", () => room.repairCounters());
  if (!repair) return null;
  const report = { campaignId, lifted, before: repair.before, after: repair.after };
  if (lifted > 0 || repair.repaired) {
    console.warn(JSON.stringify({ level: "warn", msg: "campaign counters repaired", ...report }));
  }
  return report;
}

async function liftRoom(env: Env, campaignId: string, kept: KeptStatus[]): Promise<number> {
  const room = roomOf(env, campaignId);
  const result = await callRoom("catch up with D1", () => room.applyStatuses(kept, Date.now()));
  if (result?.campaign) await saveCampaignState(env.DB, result.campaign);
  return result?.changed ?? 0;
}

/** Campaigns worth a periodic check: those that can still change. */
const ACTIVE_SQL = `
SELECT id FROM campaigns
WHERE state IN ('sending', 'paused')
   OR (state = 'completed' AND completed_at > ?)
ORDER BY created_at DESC LIMIT ?`;

export async function reconcileActiveCampaigns(env: Env, limit = 50): Promise<ReconcileReport[]> {
  const since = Date.now() - 24 * 3600 * 1000;
  const { results } = await callD1("list active campaigns", () =>
    env.DB.prepare(ACTIVE_SQL).bind(since, limit).all<{ id: string }>(),
  );
  const reports: ReconcileReport[] = [];
  for (const { id } of results) {
    const report = await reconcileCampaign(env, id);
    if (report) reports.push(report);
  }
  return reports;
}
