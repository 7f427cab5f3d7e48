import { Hono } from "hono";
import { requireOperator } from "../auth/operator.ts";
import { CAMPAIGN_ID } from "../campaigns/campaign-id.ts";
import { campaignHead } from "../campaigns/campaign-store.ts";
import { reconcileCampaign } from "../campaigns/reconcile.ts";
import { limitSmallBody } from "../body-limits.ts";
import type { AppEnv } from "../env.ts";
import { notFound } from "../errors.ts";

export const reconcileRoutes = new Hono<AppEnv>();

reconcileRoutes.post("/:id/reconcile", requireOperator, limitSmallBody, async (c) => {
  const id = c.req.param("id");
  // Checked in D1 first: reaching an object would create it.
  if (!CAMPAIGN_ID.test(id) || !(await campaignHead(c.env.DB, id))) {
    throw notFound(`campaign ${id}`);
  }
  const report = await reconcileCampaign(c.env, id);
  if (!report) throw notFound(`campaign ${id}`);
  return c.json(report);
});
