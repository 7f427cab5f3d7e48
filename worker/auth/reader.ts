import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { tooManyRequests, viewerWithinLimit } from "../rate-limit.ts";
import { secretsEqual } from "./constant-time.ts";
import { bearerTokenOf } from "./operator.ts";
import { checkViewerToken } from "./viewer-token.ts";

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
    const token = bearerTokenOf(authorization);
    if (token && (await secretsEqual(token, env.OPERATOR_TOKEN))) {
      return "operator";
    }
    throw unauthorized("the operator token is not valid");
  }
  if (!linkToken) {
    throw unauthorized(
      "send the operator token as 'Authorization: Bearer <token>' " +
        "or the campaign link's token as ?t=<token>",
    );
  }
  const check = await checkViewerToken(env.LINK_SECRET, linkToken, campaignId);
  if (check === "expired") {
    throw unauthorized("this link has expired; ask the sender for a new one");
  }
  if (check === "invalid") {
    throw unauthorized("the link token (t=) is not valid for this campaign");
  }
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
