import type { SessionEvent } from "../../domain/events.ts";
import type { CampaignInfo } from "../../domain/snapshot.ts";
import { saveCampaignState } from "../campaigns/campaign-store.ts";
import { callD1, callRoom, roomOf } from "../campaigns/room.ts";
import type { Env } from "../env.ts";

const DOWN_STATES = new Set(["disconnected", "failed"]);

/**
 * A campaign follows the health of the gateways that send it: when one
 * loses its session, the sending campaigns it has claimed from pause with
 * the reason; when it is ready again, those it paused resume. Acting on
 * the last session event of a batch is enough, as states replace each other.
 */
export async function followGatewaySession(
  env: Env,
  gatewayId: string,
  events: SessionEvent[],
): Promise<void> {
  const last = events.at(-1);
  if (!last) return;
  if (DOWN_STATES.has(last.state)) {
    const reason = describeDown(gatewayId, last);
    await forEachCampaign(env, SENDING_OF_GATEWAY_SQL, gatewayId, (room) =>
      room.pauseForGateway(gatewayId, reason),
    );
  } else if (last.state === "ready") {
    await forEachCampaign(env, PAUSED_BY_GATEWAY_SQL, `gateway:${gatewayId}`, (room) =>
      room.resumeForGateway(gatewayId),
    );
  }
}

function describeDown(gatewayId: string, event: SessionEvent): string {
  const what = event.state === "failed" ? "failed" : "lost its WhatsApp session";
  const why = event.reason ? ` (${event.reason})` : "";
  return `gateway ${gatewayId} ${what}${why}`.slice(0, 300);
}

const SENDING_OF_GATEWAY_SQL = `
SELECT c.id FROM campaigns c
JOIN campaign_gateways g ON g.campaign_id = c.id
WHERE g.gateway_id = ? AND c.state = 'sending'`;

const PAUSED_BY_GATEWAY_SQL = `
SELECT id FROM campaigns WHERE state = 'paused' AND paused_by = ?`;

type Room = ReturnType<typeof roomOf>;

async function forEachCampaign(
  env: Env,
  sql: string,
  key: string,
  change: (room: Room) => Promise<CampaignInfo | null>,
): Promise<void> {
  const { results } = await callD1("find the gateway's campaigns", () =>
    env.DB.prepare(sql).bind(key).all<{ id: string }>(),
  );
  for (const { id } of results) {
    const room = roomOf(env, id);
    const changed = await callRoom("follow its gateway", () => change(room));
    if (changed) await saveCampaignState(env.DB, changed);
  }
}
