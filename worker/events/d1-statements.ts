import type { GatewayEvent, SessionEvent } from "../../domain/events.ts";
import type { GatewayIdentity } from "../env.ts";

/**
 * A recipient that has been handed to WhatsApp needs its lease no more:
 * one DELETE per campaign, the indices as one JSON parameter, rather than
 * one statement per event.
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
  return [...byCampaign].map(([campaignId, indices]) =>
    db
      .prepare(
        "DELETE FROM leases WHERE campaign_id = ?1 " +
          "AND idx IN (SELECT value FROM json_each(?2))",
      )
      .bind(campaignId, JSON.stringify([...indices])),
  );
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
