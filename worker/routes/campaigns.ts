import { Hono } from "hono";
import { z } from "zod";
import { CAMPAIGN_ACTIONS } from "../../domain/campaign-state.ts";
import type { CampaignInfo } from "../../domain/snapshot.ts";
import { requireOperator } from "../auth/operator.ts";
import { newCampaignId } from "../campaigns/campaign-id.ts";
import { insertCampaign, saveCampaignState } from "../campaigns/campaign-store.ts";
import { parseNewCampaign } from "../campaigns/new-campaign.ts";
import { callRoom, roomOf } from "../campaigns/room.ts";
import { limitRecipientList, limitSmallBody } from "../body-limits.ts";
import { ownedCampaign } from "../campaigns/campaign-access.ts";
import { viewerLink } from "./links.ts";
import type { AppEnv, Env } from "../env.ts";
import { ApiError, notFound } from "../errors.ts";
import { readJsonBody } from "../validation.ts";

export const campaignRoutes = new Hono<AppEnv>();
campaignRoutes.use("*", requireOperator);

campaignRoutes.post("/", limitRecipientList, async (c) => {
  const input = parseNewCampaign(await readJsonBody(c.req.raw));
  const info: CampaignInfo = {
    id: newCampaignId(),
    name: input.name,
    state: "draft",
    pausedReason: null,
    pausedBy: null,
    tier: input.tier,
    total: input.recipients.length,
    createdAt: Date.now(),
    startedAt: null,
    completedAt: null,
  };
  // The object first: a D1 failure then leaves only an unreachable object.
  const room = roomOf(c.env, info.id);
  await callRoom("be created", () => room.init(info));
  await insertCampaign(c.env.DB, info, input, c.var.operator.workspaceId);
  const origin = new URL(c.req.url).origin;
  const days = input.linkExpiresInDays;
  const { link, expiresAt } = await viewerLink(c.env, origin, info.id, 1, days);
  return c.json({ id: info.id, link, linkExpiresAt: expiresAt }, 201);
});

campaignRoutes.get("/:id", async (c) => {
  const id = c.req.param("id");
  await ownedCampaign(c.env.DB, c.var.operator, id);
  const snapshot = await callRoom("be read", () => roomOf(c.env, id).snapshot());
  if (!snapshot) throw notFound(`campaign ${id}`);
  const { type: _, ...body } = snapshot;
  return c.json(body);
});

const actionSchema = z.enum(CAMPAIGN_ACTIONS);

/**
 * Uploads write D1 before the object; a count the object missed is taken
 * up here, before the campaign's list is fixed by starting it.
 */
async function syncTotal(env: Env, id: string, total: number): Promise<void> {
  await callRoom("take its count", () => roomOf(env, id).setTotal(total));
}

campaignRoutes.post("/:id/:action", limitSmallBody, async (c) => {
  const id = c.req.param("id");
  const head = await ownedCampaign(c.env.DB, c.var.operator, id);
  const action = actionSchema.safeParse(c.req.param("action"));
  if (!action.success) {
    throw new ApiError(
      404,
      "not_found",
      `no action '${c.req.param("action")}'; use ${CAMPAIGN_ACTIONS.join(", ")}`,
    );
  }
  const room = roomOf(c.env, id);
  if (action.data === "start") await syncTotal(c.env, id, head.total);
  const outcome = await callRoom(`${action.data}`, () => room.transition(action.data, Date.now()));
  if (!outcome) throw notFound(`campaign ${id}`);
  if (outcome.refusal) {
    throw new ApiError(409, "invalid_transition", outcome.refusal);
  }
  // Written even when unchanged, so a retry repairs an earlier failed write.
  await saveCampaignState(c.env.DB, outcome.campaign);
  return c.json({ campaign: outcome.campaign });
});
