import { failureOfEvent, statusOfEvent, type RecipientEvent } from "../../domain/events.ts";
import { STATUSES, statusRank, type Status } from "../../domain/status.ts";

/**
 * A batch's events folded per recipient, then written by one statement per
 * campaign: the rows travel as a single JSON parameter (well within D1's
 * 100 bound parameters) that SQLite unpacks with json_each. Local D1 pays
 * mostly per statement, so this is what makes ingest cheap. Folding keeps
 * what one event at a time would keep: the highest status, the earliest
 * time of each stage, the message id, the first failure. Events naming
 * different messages for one recipient are not folded together, so the
 * message-id check still judges each.
 */
export interface FoldedRow {
  campaignId: string;
  index: number;
  rank: number;
  status: Status;
  messageId: string | null;
  /** earliest time of pending, sent, delivered, read, played */
  stageAt: Array<number | null>;
  failedAt: number | null;
  reason: string | null;
  detail: string | null;
  /** positions of the folded events in the batch's recipient events */
  events: number[];
}

const DELIVERED = statusRank("delivered");
const STAGE_RANKS = ["pending", "sent", "delivered", "read", "played"].map((s) =>
  statusRank(s as Status),
);

function stageReached(status: Status, stage: number): boolean {
  if (status === "failed") return false;
  return statusRank(status) >= STAGE_RANKS[stage]!;
}

const earlier = (a: number | null, b: number | null) =>
  a === null ? b : b === null ? a : Math.min(a, b);

function emptyRow(event: RecipientEvent): FoldedRow {
  return {
    campaignId: event.campaignId,
    index: event.recipient,
    rank: 0,
    status: "queued",
    messageId: null,
    stageAt: [null, null, null, null, null],
    failedAt: null,
    reason: null,
    detail: null,
    events: [],
  };
}

function fold(row: FoldedRow, event: RecipientEvent, position: number): void {
  const status = statusOfEvent(event);
  if (statusRank(status) > row.rank) {
    row.rank = statusRank(status);
    row.status = status;
  }
  if ("messageId" in event && event.messageId) row.messageId = event.messageId;
  row.stageAt = row.stageAt.map((at, stage) =>
    stageReached(status, stage) ? earlier(at, event.at) : at,
  );
  const failure = failureOfEvent(event);
  if (failure) {
    row.failedAt = earlier(row.failedAt, event.at);
    row.reason ??= failure.reason;
    row.detail ??= failure.detail;
  }
  row.events.push(position);
}

export function foldEvents(events: RecipientEvent[]): FoldedRow[] {
  const rows: FoldedRow[] = [];
  const open = new Map<string, FoldedRow[]>();
  events.forEach((event, position) => {
    const key = `${event.campaignId}:${event.recipient}`;
    const messageId = "messageId" in event ? event.messageId : null;
    const candidates = open.get(key) ?? [];
    let row = candidates.find((r) => !messageId || !r.messageId || r.messageId === messageId);
    if (!row) {
      row = emptyRow(event);
      candidates.push(row);
      open.set(key, candidates);
      rows.push(row);
    }
    fold(row, event, position);
  });
  return rows;
}

const RANK_OF_STATUS = `CASE status ${STATUSES.map(
  (status, rank) => `WHEN '${status}' THEN ${rank}`,
).join(" ")} END`;

const STAGE_COLUMNS = ["pending_at", "sent_at", "delivered_at", "read_at", "played_at"];
// Keeps one statement's JSON near 100 KB, far below D1's limits.
export const ROWS_PER_STATEMENT = 500;

const earliestOf = (column: string, value: string) =>
  `${column} = COALESCE(MIN(${column}, ${value}), ${column}, ${value})`;

const failing = `v.tf IS NOT NULL AND ${RANK_OF_STATUS} < ${DELIVERED}`;

/**
 * Every column only moves one way, as for a single event. SQLite evaluates
 * SET against the old row, so the failure columns see the old status; a row
 * whose message id differs from the batch's is not matched, and RETURNING
 * tells which rows were. The rows are materialised first so the planner
 * walks them and seeks each recipient by its key; joined directly, it may
 * scan the campaign's recipients and the JSON once per recipient.
 */
const UPDATE_SQL = (() => {
  const names = [
    "idx",
    "rank",
    "st",
    "msg",
    "t1",
    "t2",
    "t3",
    "t4",
    "t5",
    "tf",
    "reason",
    "detail",
  ];
  const columns = names.map((name, i) => `value ->> ${i} AS ${name}`).join(", ");
  return `WITH v AS MATERIALIZED (SELECT ${columns} FROM json_each(?1))
UPDATE recipients SET
  status = CASE WHEN ${RANK_OF_STATUS} < v.rank THEN v.st ELSE status END,
  message_id = COALESCE(message_id, v.msg),
  ${STAGE_COLUMNS.map((column, i) => earliestOf(column, `v.t${i + 1}`)).join(",\n  ")},
  failed_at = CASE WHEN ${failing} THEN COALESCE(MIN(failed_at, v.tf), failed_at, v.tf)
    ELSE failed_at END,
  failure_reason = CASE WHEN ${failing} AND failure_reason IS NULL THEN v.reason
    ELSE failure_reason END,
  failure_detail = CASE WHEN ${failing} AND failure_detail IS NULL THEN v.detail
    ELSE failure_detail END
FROM v
WHERE recipients.campaign_id = ?2 AND recipients.idx = v.idx
  AND (v.msg IS NULL OR recipients.message_id IS NULL OR recipients.message_id = v.msg)
RETURNING recipients.idx AS idx`;
})();

function valuesOf(row: FoldedRow): unknown[] {
  return [
    row.index,
    row.rank,
    row.status,
    row.messageId,
    ...row.stageAt,
    row.failedAt,
    row.reason,
    row.detail,
  ];
}

/** Statements for the folded rows; `rows[i]` of each goes with its answer. */
export function foldedStatements(
  db: D1Database,
  folded: FoldedRow[],
): Array<{ statement: D1PreparedStatement; rows: FoldedRow[] }> {
  const byCampaign = new Map<string, FoldedRow[]>();
  for (const row of folded) {
    const list = byCampaign.get(row.campaignId) ?? [];
    list.push(row);
    byCampaign.set(row.campaignId, list);
  }
  const out: Array<{ statement: D1PreparedStatement; rows: FoldedRow[] }> = [];
  for (const [campaignId, list] of byCampaign) {
    for (const chunk of chunksWithDistinctIndices(list)) {
      const statement = db
        .prepare(UPDATE_SQL)
        .bind(JSON.stringify(chunk.map(valuesOf)), campaignId);
      out.push({ statement, rows: chunk });
    }
  }
  return out;
}

/**
 * UPDATE ... FROM applies one source row per target row, so two folded rows
 * of one recipient (different message ids) never share a statement.
 */
function chunksWithDistinctIndices(rows: FoldedRow[]): FoldedRow[][] {
  const chunks: Array<{ rows: FoldedRow[]; indices: Set<number> }> = [];
  for (const row of rows) {
    let chunk = chunks.find((c) => c.rows.length < ROWS_PER_STATEMENT && !c.indices.has(row.index));
    if (!chunk) {
      chunk = { rows: [], indices: new Set() };
      chunks.push(chunk);
    }
    chunk.rows.push(row);
    chunk.indices.add(row.index);
  }
  return chunks.map((c) => c.rows);
}
