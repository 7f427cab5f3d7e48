import { Hono } from "hono";
import { requireOperator } from "../auth/operator.ts";
import { ownedCampaign } from "../campaigns/campaign-access.ts";
import { reconcileCampaign } from "../campaigns/reconcile.ts";
import { limitSmallBody } from "../body-limits.ts";
import type { AppEnv } from "../env.ts";
import { notFound } from "../errors.ts";

export const reconcileRoutes = new Hono<AppEnv>();

reconcileRoutes.post("/:id/reconcile", requireOperator, limitSmallBody, async (c) => {
  const id = c.req.param("id");
  await ownedCampaign(c.env.DB, c.var.operator, id);
  const report = await reconcileCampaign(c.env, id);
  if (!report) throw notFound(`campaign ${id}`);
  return c.json(report);
});
