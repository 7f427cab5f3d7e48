import type { GatewayEvent, SessionEvent } from "../../domain/events.ts";
import type { GatewayIdentity } from "../env.ts";

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

/** The newest event time a gateway has reported; claims rely on it. */
export function lastEventStatement(
  db: D1Database,
  gateway: GatewayIdentity,
  events: GatewayEvent[],
): D1PreparedStatement | null {
  if (events.length === 0) return null;
  const newest = Math.max(...events.map((e) => e.at));
  return db
    .prepare(
      `INSERT INTO gateways (id, workspace_id, state, last_seen_at, last_event_at)
       VALUES (?1, ?2, 'ready', 0, ?3)
       ON CONFLICT(id) DO UPDATE SET
         last_event_at = MAX(COALESCE(gateways.last_event_at, 0), ?3)`,
    )
    .bind(gateway.id, gateway.workspaceId, newest);
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
