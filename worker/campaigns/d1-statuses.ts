import type { Status } from "../../domain/status.ts";
import { callD1 } from "./room.ts";

const PAGE = 2_000;

interface RecipientRow {
  idx: number;
  status: Status;
  stage_at: number | null;
  started_at: number | null;
  delivered_at: number | null;
  read_at: number | null;
  failure_reason: string | null;
}

/** What D1 kept of one recipient, in the shape the campaign object takes. */
export interface KeptStatus {
  index: number;
  status: Status;
  at: number;
  reason?: string;
  /** when the send started (pending, else sent): latencies run from it */
  startedAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
}

/** Each recipient's status in D1 with the times of its stages. */
const PAGE_SQL = `
SELECT idx, status, failure_reason,
  COALESCE(played_at, read_at, delivered_at, failed_at, sent_at, pending_at) AS stage_at,
  COALESCE(pending_at, sent_at) AS started_at, delivered_at, read_at
FROM recipients
WHERE campaign_id = ? AND idx > ? AND status != 'queued'
ORDER BY idx LIMIT ${PAGE}`;

/**
 * Every recipient of a campaign that D1 has past `queued`, a page at a
 * time in index order. D1 is written before the campaign's object, so this
 * is what the object must reach when it may have fallen behind.
 */
export async function* keptStatuses(
  db: D1Database,
  campaignId: string,
): AsyncGenerator<KeptStatus[]> {
  for (let after = -1; ;) {
    const { results } = await callD1("read recipients' statuses", () =>
      db.prepare(PAGE_SQL).bind(campaignId, after).all<RecipientRow>(),
    );
    if (results.length === 0) return;
    yield results.map((row) => ({
      index: row.idx,
      status: row.status,
      at: row.stage_at ?? Date.now(),
      reason: row.failure_reason ?? undefined,
      startedAt: row.started_at,
      deliveredAt: row.delivered_at,
      readAt: row.read_at,
    }));
    after = results.at(-1)!.idx;
  }
}
