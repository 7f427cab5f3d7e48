import type { SessionEvent } from "../../domain/events.ts";
import { saveCampaignState } from "../campaigns/campaign-store.ts";
import { callD1, callRoom, roomOf } from "../campaigns/room.ts";
import type { Env } from "../env.ts";

/**
 * Every campaign a gateway has claimed from hears of its session: the page
 * shows the gateway's health, and the campaign pauses while the session is
 * down and resumes when it is ready (durable-objects/campaign-room.ts).
 * The last session event of a batch is enough, as states replace each other.
 */
const CAMPAIGNS_OF_GATEWAY_SQL = `
SELECT c.id FROM campaigns c
JOIN campaign_gateways g ON g.campaign_id = c.id
WHERE g.gateway_id = ? AND c.state IN ('draft', 'sending', 'paused')`;

export async function followGatewaySession(
  env: Env,
  gatewayId: string,
  events: SessionEvent[],
): Promise<void> {
  const last = events.at(-1);
  if (!last) return;
  const { results } = await callD1("find the gateway's campaigns", () =>
    env.DB.prepare(CAMPAIGNS_OF_GATEWAY_SQL).bind(gatewayId).all<{ id: string }>(),
  );
  for (const { id } of results) {
    const room = roomOf(env, id);
    const changed = await callRoom("follow its gateway", () =>
      room.gatewaySession(gatewayId, last.state, last.reason ?? null, last.at),
    );
    if (changed) await saveCampaignState(env.DB, changed);
  }
}
