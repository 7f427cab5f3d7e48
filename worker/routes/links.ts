import { Hono } from "hono";
import { z } from "zod";
import { requireOperator } from "../auth/operator.ts";
import { createViewerToken, DAY_MS, DEFAULT_LINK_DAYS } from "../auth/viewer-token.ts";
import { limitSmallBody } from "../body-limits.ts";
import { ownedCampaign } from "../campaigns/campaign-access.ts";
import { callD1 } from "../campaigns/room.ts";
import type { AppEnv, Env } from "../env.ts";
import { parseJson, parseWith } from "../validation.ts";

export const linkRoutes = new Hono<AppEnv>();

export const linkDaysSchema = z
  .number()
  .int("a whole number of days")
  .min(1, "at least 1 day")
  .max(365, "at most 365 days");

const linkBody = z.object({ expiresInDays: linkDaysSchema.default(DEFAULT_LINK_DAYS) });

/** A viewer link to the page, signed with the campaign's current link key. */
export async function viewerLink(
  env: Env,
  origin: string,
  campaignId: string,
  keyVersion: number,
  days: number,
): Promise<{ link: string; expiresAt: number }> {
  const expiresAt = Date.now() + days * DAY_MS;
  const token = await createViewerToken(env.LINK_SECRET, campaignId, expiresAt, keyVersion);
  return { link: `${origin}/c/${campaignId}?t=${token}`, expiresAt };
}

async function linkOptions(request: Request) {
  const text = await request.text();
  return parseWith(linkBody, text.trim() ? parseJson(text) : {});
}

linkRoutes.post("/:id/link", requireOperator, limitSmallBody, async (c) => {
  const id = c.req.param("id");
  const head = await ownedCampaign(c.env.DB, c.var.operator, id);
  const { expiresInDays } = await linkOptions(c.req.raw);
  const origin = new URL(c.req.url).origin;
  return c.json(await viewerLink(c.env, origin, id, head.link_key_version, expiresInDays));
});

/** Every link given so far stops working; the answer is the one new link. */
linkRoutes.post("/:id/link/rotate", requireOperator, limitSmallBody, async (c) => {
  const id = c.req.param("id");
  const head = await ownedCampaign(c.env.DB, c.var.operator, id);
  const { expiresInDays } = await linkOptions(c.req.raw);
  const version = head.link_key_version + 1;
  await callD1("rotate the link key", () =>
    c.env.DB.prepare("UPDATE campaigns SET link_key_version = ? WHERE id = ?")
      .bind(version, id)
      .run(),
  );
  const origin = new URL(c.req.url).origin;
  return c.json(await viewerLink(c.env, origin, id, version, expiresInDays));
});
