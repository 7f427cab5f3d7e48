import type { ClaimedMessage } from "../../domain/events.ts";
import { MAX_CLOCK_SKEW_SECONDS } from "../../domain/signature.ts";
import { renderMessage } from "../../domain/render.ts";
import type { SpeedTierName } from "../../domain/speed-tiers.ts";
import type { Env, GatewayIdentity } from "../env.ts";
import { callD1 } from "./room.ts";

const DEFAULT_LEASE_SECONDS = 300;

/**
 * One statement picks queued recipients of sending campaigns that nobody
 * holds a live lease on and leases them, so two gateways claiming at once
 * never get the same recipient (D1 runs statements one at a time). A
 * gateway claims only from its own workspace, and a campaign pinned to a
 * gateway by that gateway alone. `WHERE true` keeps SQLite from reading
 * ON CONFLICT as part of the SELECT's join.
 *
 * An expired lease goes back to the gateway that held it at once, but to
 * another gateway only once the holder has reported an event it made after
 * taking the lease (by more than the clock skew allowed): a gateway records
 * `send_started` before it sends and posts its events in order, so a later
 * event reaching us with the recipient still queued proves the holder never
 * sent it. A holder that crashed mid-send and stays silent keeps its
 * recipients until it returns and reports: never a second message.
 */
const CLAIM_SQL = `
INSERT INTO leases (campaign_id, idx, gateway_id, leased_at, expires_at)
SELECT r.campaign_id, r.idx, ?1, ?2, ?3
FROM recipients r JOIN campaigns c ON c.id = r.campaign_id
WHERE c.state = 'sending' AND r.status = 'queued'
  AND c.workspace_id = ?6
  AND (?5 IS NULL OR c.id = ?5)
  AND (c.gateway_id IS NULL OR c.gateway_id = ?1)
  AND NOT EXISTS (
    SELECT 1 FROM leases l LEFT JOIN gateways g ON g.id = l.gateway_id
    WHERE l.campaign_id = r.campaign_id AND l.idx = r.idx
      AND (l.expires_at > ?2
        OR (l.gateway_id != ?1
            AND COALESCE(g.last_event_at, 0) <= l.leased_at + ?7)))
  AND true
ORDER BY c.started_at, r.campaign_id, r.idx
LIMIT ?4
ON CONFLICT (campaign_id, idx) DO UPDATE SET
  gateway_id = excluded.gateway_id,
  leased_at = excluded.leased_at,
  expires_at = excluded.expires_at
RETURNING campaign_id, idx, expires_at`;

const DETAILS_SQL = `
SELECT r.phone, r.name, r.vars, c.message, c.tier FROM recipients r
JOIN campaigns c ON c.id = r.campaign_id
WHERE r.campaign_id = ? AND r.idx = ?`;

interface LeaseRow {
  campaign_id: string;
  idx: number;
  expires_at: number;
}

interface DetailRow {
  phone: string;
  name: string | null;
  vars: string | null;
  message: string;
  tier: SpeedTierName;
}

const REMEMBER_GATEWAY_SQL =
  "INSERT OR IGNORE INTO campaign_gateways (campaign_id, gateway_id) VALUES (?, ?)";

export async function claimMessages(
  env: Env,
  gateway: GatewayIdentity,
  limit: number,
  onlyCampaignId: string | null = null,
): Promise<ClaimedMessage[]> {
  const gatewayId = gateway.id;
  const now = Date.now();
  const leaseMs = (Number(env.LEASE_SECONDS) || DEFAULT_LEASE_SECONDS) * 1000;
  const { results: leased } = await callD1("lease messages", () =>
    env.DB.prepare(CLAIM_SQL)
      .bind(
        gatewayId,
        now,
        now + leaseMs,
        limit,
        onlyCampaignId,
        gateway.workspaceId,
        MAX_CLOCK_SKEW_SECONDS * 1000,
      )
      .all<LeaseRow>(),
  );
  if (leased.length === 0) return [];
  const campaignIds = [...new Set(leased.map((l) => l.campaign_id))];
  const results = await callD1("read the leased messages", () =>
    env.DB.batch<DetailRow>([
      ...leased.map((l) => env.DB.prepare(DETAILS_SQL).bind(l.campaign_id, l.idx)),
      ...campaignIds.map((id) => env.DB.prepare(REMEMBER_GATEWAY_SQL).bind(id, gatewayId)),
    ]),
  );
  return leased.map((lease, i) => toClaimed(lease, results[i]!.results[0]!));
}

function toClaimed(lease: LeaseRow, row: DetailRow): ClaimedMessage {
  const vars = row.vars ? (JSON.parse(row.vars) as Record<string, string>) : {};
  return {
    campaignId: lease.campaign_id,
    recipient: lease.idx,
    phone: row.phone,
    text: renderMessage(row.message, {
      ...vars,
      name: row.name ?? undefined,
      phone: row.phone,
    }),
    tier: row.tier,
    leaseExpiresAt: lease.expires_at,
  };
}
