import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env.ts";
import { ApiError, notFound } from "../errors.ts";
import { tooManyRequests, viewerWithinLimit } from "../rate-limit.ts";
import { ownedCampaign } from "../campaigns/campaign-access.ts";
import { checkViewerLink, LINK_REFUSALS } from "./viewer-link.ts";
import { operatorOf } from "./operator.ts";

/** Who reads a campaign: its operator sees everything, a link viewer less. */
export type Reader = "operator" | "viewer";

export type ReaderEnv = AppEnv & {
  Variables: AppEnv["Variables"] & { reader: Reader };
};

function unauthorized(message: string): ApiError {
  return new ApiError(401, "unauthorized", message);
}

async function readerOf(
  authorization: string | undefined,
  linkToken: string | undefined,
  campaignId: string,
  env: AppEnv["Bindings"],
): Promise<Reader> {
  // A bearer header is the operator's claim; a wrong one is refused even
  // when a link token rides along, so a typo never silently masks phones.
  if (authorization !== undefined) {
    await ownedCampaign(env.DB, await operatorOf(env, authorization), campaignId);
    return "operator";
  }
  if (!linkToken) {
    throw unauthorized(
      "send the operator token as 'Authorization: Bearer <token>' " +
        "or the campaign link's token as ?t=<token>",
    );
  }
  const check = await checkViewerLink(env, linkToken, campaignId);
  if (check === "missing") throw notFound(`campaign ${campaignId}`);
  if (check !== "ok") throw unauthorized(LINK_REFUSALS[check]);
  return "viewer";
}

/**
 * For routes under `/:id` that both the operator and the holders of the
 * campaign's link may read; sets `reader` for the route to shape its answer.
 */
export const requireReader = createMiddleware<ReaderEnv>(async (c, next) => {
  const reader = await readerOf(
    c.req.header("Authorization"),
    c.req.query("t"),
    c.req.param("id") ?? "",
    c.env,
  );
  const campaignId = c.req.param("id") ?? "";
  if (reader === "viewer" && !(await viewerWithinLimit(c.env, c.req.raw, campaignId))) {
    throw tooManyRequests();
  }
  c.set("reader", reader);
  await next();
});
