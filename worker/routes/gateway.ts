import { Hono } from "hono";
import { claimRequestSchema, eventBatchSchema } from "../../domain/events.ts";
import { requireGateway, type SignedEnv } from "../auth/gateway.ts";
import { refusingReplays, rememberSignature } from "../auth/replay-guard.ts";
import { BODY_LIMITS, limitBody } from "../body-limits.ts";
import { claimMessages } from "../campaigns/claims.ts";
import { callD1 } from "../campaigns/room.ts";
import { applyEvents } from "../events/apply-events.ts";
import { parseJson, parseWith } from "../validation.ts";

export const gatewayRoutes = new Hono<SignedEnv>();
// The limit comes first: the signature check reads the whole body.
gatewayRoutes.use("*", limitBody(BODY_LIMITS.eventBatch, "post at most 500 events per batch"));
gatewayRoutes.use("*", requireGateway);

gatewayRoutes.post("/claim", async (c) => {
  const { limit, campaignId } = parseWith(claimRequestSchema, parseJson(c.var.rawBody));
  // A claim hands out messages, so it is remembered before it runs.
  await refusingReplays(() =>
    callD1("remember the request", () => rememberSignature(c.env.DB, c.var.signature).run()),
  );
  const messages = await claimMessages(c.env, c.var.gateway, limit, campaignId ?? null);
  return c.json({ messages });
});

gatewayRoutes.post("/events", async (c) => {
  const { events } = parseWith(eventBatchSchema, parseJson(c.var.rawBody));
  const remember = rememberSignature(c.env.DB, c.var.signature);
  return c.json(await refusingReplays(() => applyEvents(c.env, c.var.gateway, events, remember)));
});
