import type { Env } from "./env.ts";
import { ApiError } from "./errors.ts";

/** wrangler.toml's VIEWER_LIMITER counts over this period. */
export const VIEWER_LIMIT_PERIOD_SECONDS = 60;

/**
 * Link viewers are anyone on the internet, so their routes are limited per
 * address and campaign with Workers' rate limiting binding. The binding is
 * local to each Cloudflare location and approximate by design: it stops
 * floods, not a careful count.
 * https://developers.cloudflare.com/workers/runtime-apis/bindings/rate-limit/
 */
export async function viewerWithinLimit(
  env: Env,
  request: Request,
  campaignId: string,
): Promise<boolean> {
  if (!env.VIEWER_LIMITER) return true;
  const address = request.headers.get("CF-Connecting-IP") ?? "local";
  const { success } = await env.VIEWER_LIMITER.limit({ key: `${address}:${campaignId}` });
  return success;
}

export function tooManyRequests(): ApiError {
  const error = new ApiError(
    429,
    "rate_limited",
    "too many requests for this campaign from your address; " +
      `retry in ${VIEWER_LIMIT_PERIOD_SECONDS} s`,
  );
  error.retryAfterSeconds = VIEWER_LIMIT_PERIOD_SECONDS;
  return error;
}
