import type { GatewayEvent, RecipientEvent, SessionEvent } from "../../domain/events.ts";
import { failureOfEvent, statusOfEvent } from "../../domain/events.ts";
import { STATUSES, statusRank, type Status } from "../../domain/status.ts";
import type { GatewayIdentity } from "../env.ts";

const RANK_OF_COLUMN = `CASE status ${STATUSES.map(
  (status, rank) => `WHEN '${status}' THEN ${rank}`,
).join(" ")} END`;

const DELIVERED = statusRank("delivered");

/** Stage columns an event proves, each keeping its earliest time. */
const STAGES: Array<[column: string, reached: (s: Status) => boolean]> = [
  ["pending_at", (s) => s !== "failed" && statusRank(s) >= 1],
  ["sent_at", (s) => s !== "failed" && statusRank(s) >= statusRank("sent")],
  ["delivered_at", (s) => statusRank(s) >= DELIVERED],
  ["read_at", (s) => statusRank(s) >= statusRank("read")],
  ["played_at", (s) => s === "played"],
];

const earliest = (column: string, flag: number) =>
  `${column} = CASE WHEN ?${flag} THEN MIN(COALESCE(${column}, ?3), ?3) ` +
  `ELSE ${column} END`;

/**
 * One statement per event. Every column only moves one way (status up, stage
 * times earlier, first message id and failure kept), so applying an event
 * twice or out of order ends in the same row. SQLite evaluates every SET
 * expression against the old row, so the failure columns see the old status.
 * An event naming another message than the one the recipient was sent is
 * not about this recipient: it matches no row, and RETURNING tells the
 * caller so.
 */
const APPLY_EVENT_SQL = `UPDATE recipients SET
  status = CASE WHEN ${RANK_OF_COLUMN} < ?1 THEN ?2 ELSE status END,
  message_id = COALESCE(message_id, ?4),
  ${STAGES.map(([column], i) => earliest(column, 5 + i)).join(",\n  ")},
  failed_at = CASE WHEN ?10 AND ${RANK_OF_COLUMN} < ${DELIVERED}
    THEN MIN(COALESCE(failed_at, ?3), ?3) ELSE failed_at END,
  failure_reason = CASE WHEN ?10 AND ${RANK_OF_COLUMN} < ${DELIVERED}
    AND failure_reason IS NULL THEN ?11 ELSE failure_reason END,
  failure_detail = CASE WHEN ?10 AND ${RANK_OF_COLUMN} < ${DELIVERED}
    AND failure_detail IS NULL THEN ?12 ELSE failure_detail END
WHERE campaign_id = ?13 AND idx = ?14
  AND (?4 IS NULL OR message_id IS NULL OR message_id = ?4)
RETURNING idx`;

export function applyEventStatement(
  db: D1Database,
  event: RecipientEvent,
): D1PreparedStatement {
  const status = statusOfEvent(event);
  const messageId = "messageId" in event ? event.messageId : null;
  const failure = failureOfEvent(event);
  return db.prepare(APPLY_EVENT_SQL).bind(
    statusRank(status),
    status,
    event.at,
    messageId,
    ...STAGES.map(([, reached]) => (reached(status) ? 1 : 0)),
    status === "failed" ? 1 : 0,
    failure?.reason ?? null,
    failure?.detail ?? null,
    event.campaignId,
    event.recipient,
  );
}

// D1 binds at most 100 parameters; one goes to the campaign id.
const LEASES_PER_DELETE = 99;

/**
 * A recipient that has been handed to WhatsApp needs its lease no more:
 * one DELETE per campaign and 99 recipients, rather than one per event.
 */
export function releaseLeaseStatements(
  db: D1Database,
  events: GatewayEvent[],
): D1PreparedStatement[] {
  const byCampaign = new Map<string, Set<number>>();
  for (const event of events) {
    if (event.type === "session" || event.type === "ack") continue;
    const set = byCampaign.get(event.campaignId) ?? new Set<number>();
    set.add(event.recipient);
    byCampaign.set(event.campaignId, set);
  }
  const statements: D1PreparedStatement[] = [];
  for (const [campaignId, set] of byCampaign) {
    const indices = [...set];
    for (let i = 0; i < indices.length; i += LEASES_PER_DELETE) {
      const chunk = indices.slice(i, i + LEASES_PER_DELETE);
      const marks = chunk.map(() => "?").join(",");
      statements.push(
        db
          .prepare(`DELETE FROM leases WHERE campaign_id = ? AND idx IN (${marks})`)
          .bind(campaignId, ...chunk),
      );
    }
  }
  return statements;
}

export function sessionStatement(
  db: D1Database,
  gateway: GatewayIdentity,
  event: SessionEvent,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO gateways (id, workspace_id, state, reason, last_seen_at)
       VALUES (?1, ?5, ?2, ?3, ?4)
       ON CONFLICT(id) DO UPDATE SET state = ?2, reason = ?3, last_seen_at = ?4
       WHERE gateways.last_seen_at <= ?4`,
    )
    .bind(gateway.id, event.state, event.reason ?? null, event.at, gateway.workspaceId);
}
