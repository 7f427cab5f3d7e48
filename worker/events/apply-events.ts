import {
  failureOfEvent,
  statusOfEvent,
  type GatewayEvent,
  type RecipientEvent,
  type SessionEvent,
} from "../../domain/events.ts";
import { callD1, callRoom, roomOf } from "../campaigns/room.ts";
import type { Env, GatewayIdentity } from "../env.ts";
import { ApiError, type ErrorDetail } from "../errors.ts";
import { lastEventStatement, releaseLeaseStatements, sessionStatement } from "./d1-statements.ts";
import { foldedStatements, foldEvents } from "./folded-updates.ts";
import { campaignTotals, type CampaignSize } from "./campaign-totals.ts";
import { followGatewaySession } from "./gateway-sessions.ts";

export interface ApplyOutcome {
  applied: number;
  ignored: number;
}

/**
 * D1 first, then each campaign's Durable Object. Both only ever move a
 * recipient up, so when either step fails the gateway retries the whole
 * batch and the step that already ran changes nothing. The object therefore
 * never counts a status that D1 has not kept.
 */
export async function applyEvents(
  env: Env,
  gateway: GatewayIdentity,
  events: GatewayEvent[],
  /** written first in the same batch: the replay guard's record */
  first?: D1PreparedStatement,
): Promise<ApplyOutcome> {
  const gatewayId = gateway.id;
  const recipientEvents = events.filter((e): e is RecipientEvent => e.type !== "session");
  await rejectUnknownRecipients(env.DB, gateway.workspaceId, recipientEvents);
  const folded = foldedStatements(env.DB, foldEvents(recipientEvents));
  const statements = [
    ...(first ? [first] : []),
    ...folded.map((f) => f.statement),
    ...releaseLeaseStatements(env.DB, events),
    ...sessionStatements(env.DB, gateway, events),
  ];
  const lastEvent = lastEventStatement(env.DB, gateway, events);
  if (lastEvent) statements.push(lastEvent);
  const results = await callD1("record the events", () => env.DB.batch(statements));
  // Only events D1 matched to their recipient reach the counters.
  const matched = matchedEvents(recipientEvents, folded, first ? results.slice(1) : results);
  let applied = 0;
  for (const [campaignId, group] of groupByCampaign(matched)) {
    applied += await applyToRoom(env, campaignId, group);
  }
  const sessions = events.filter((e): e is SessionEvent => e.type === "session");
  await followGatewaySession(env, gatewayId, sessions);
  return { applied, ignored: events.length - applied };
}

function sessionStatements(
  db: D1Database,
  gateway: GatewayIdentity,
  events: GatewayEvent[],
): D1PreparedStatement[] {
  return events
    .filter((e): e is SessionEvent => e.type === "session")
    .map((event) => sessionStatement(db, gateway, event));
}

function matchedEvents(
  events: RecipientEvent[],
  folded: ReturnType<typeof foldedStatements>,
  results: D1Result[],
): RecipientEvent[] {
  const matched = new Set<number>();
  folded.forEach(({ rows }, i) => {
    const returned = new Set((results[i]!.results as Array<{ idx: number }>).map((r) => r.idx));
    for (const row of rows) {
      if (returned.has(row.index)) row.events.forEach((e) => matched.add(e));
    }
  });
  return events.filter((_, i) => matched.has(i));
}

function groupByCampaign(events: RecipientEvent[]) {
  const groups = new Map<string, RecipientEvent[]>();
  for (const event of events) {
    const group = groups.get(event.campaignId) ?? [];
    group.push(event);
    groups.set(event.campaignId, group);
  }
  return groups;
}

async function applyToRoom(
  env: Env,
  campaignId: string,
  events: RecipientEvent[],
): Promise<number> {
  const changes = events.map((e) => ({
    index: e.recipient,
    status: statusOfEvent(e),
    at: e.at,
    reason: failureOfEvent(e)?.reason,
  }));
  const room = roomOf(env, campaignId);
  const result = await callRoom("count the events", () => room.applyStatuses(changes, Date.now()));
  if (result?.campaign) {
    const { state, completedAt } = result.campaign;
    await callD1("record the campaign's state", () =>
      env.DB.prepare("UPDATE campaigns SET state = ?, completed_at = ? WHERE id = ?")
        .bind(state, completedAt, campaignId)
        .run(),
    );
  }
  return result?.changed ?? 0;
}

function problemWith(
  event: RecipientEvent,
  campaign: CampaignSize | undefined,
  workspaceId: string,
): string | null {
  // Another workspace's campaign is described exactly like a missing one.
  if (!campaign || campaign.workspaceId !== workspaceId) return "no such campaign";
  if (event.recipient >= campaign.total) return "no such recipient";
  if (campaign.draft) return "the campaign is a draft: nothing of it was sent";
  return null;
}

async function rejectUnknownRecipients(
  db: D1Database,
  workspaceId: string,
  events: RecipientEvent[],
): Promise<void> {
  const ids = [...new Set(events.map((e) => e.campaignId))];
  const totals = await campaignTotals(db, ids);
  const details: ErrorDetail[] = [];
  events.forEach((event, i) => {
    const reason = problemWith(event, totals.get(event.campaignId), workspaceId);
    if (reason) {
      details.push({
        field: `events[${i}]`,
        value: { campaignId: event.campaignId, recipient: event.recipient },
        reason,
      });
    }
  });
  if (details.length === 0) return;
  throw new ApiError(
    422,
    "unknown_recipient",
    `${details.length} event(s) name a campaign or recipient that does not ` +
      "exist or was never sent; nothing of this batch was applied",
    details,
  );
}
