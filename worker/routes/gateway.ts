import { Hono } from "hono";
import {
  claimRequestSchema,
  eventBatchSchema,
} from "../../domain/events.ts";
import { requireGateway } from "../auth/gateway.ts";
import { claimMessages } from "../campaigns/claims.ts";
import { BODY_LIMITS, limitBody } from "../body-limits.ts";
import type { AppEnv } from "../env.ts";
import { applyEvents } from "../events/apply-events.ts";
import { parseJson, parseWith } from "../validation.ts";

type GatewayEnv = AppEnv & { Variables: { rawBody: string } };

export const gatewayRoutes = new Hono<GatewayEnv>();
// The limit comes first: the signature check reads the whole body.
gatewayRoutes.use("*", limitBody(BODY_LIMITS.eventBatch, "post at most 500 events per batch"));
gatewayRoutes.use("*", requireGateway);

gatewayRoutes.post("/claim", async (c) => {
  const { limit, campaignId } = parseWith(claimRequestSchema, parseJson(c.var.rawBody));
  const messages = await claimMessages(c.env, c.var.gatewayId, limit, campaignId ?? null);
  return c.json({ messages });
});

gatewayRoutes.post("/events", async (c) => {
  const { events } = parseWith(eventBatchSchema, parseJson(c.var.rawBody));
  // Workers Logs record every request; failures log themselves with ids.
  return c.json(await applyEvents(c.env, c.var.gatewayId, events));
});
