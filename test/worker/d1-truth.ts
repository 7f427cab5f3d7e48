import { env } from "cloudflare:test";
import { STATUSES, type Status } from "../../domain/status.ts";

/** Each recipient's status as D1 holds it: what the counters must match. */
export async function d1Statuses(id: string): Promise<Map<number, Status>> {
  const { results } = await env.DB.prepare(
    "SELECT idx, status FROM recipients WHERE campaign_id = ?",
  )
    .bind(id)
    .all<{ idx: number; status: Status }>();
  return new Map(results.map((r) => [r.idx, r.status]));
}

/** The funnel of some statuses, counted here, not by the code under test. */
export function funnelOf(statuses: Iterable<Status>) {
  const c = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const s of statuses) c[s]++;
  const read = c.read + c.played;
  const delivered = c.delivered + read;
  const sent = c.sent + delivered;
  const pending = c.queued + c.pending;
  return {
    total: pending + sent + c.failed,
    pending,
    sent,
    delivered,
    read,
    played: c.played,
    failed: c.failed,
  };
}
