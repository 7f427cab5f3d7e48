import type { Env } from "../env.ts";
import { ApiError } from "../errors.ts";

export function roomOf(env: Env, campaignId: string) {
  return env.CAMPAIGN_ROOM.get(env.CAMPAIGN_ROOM.idFromName(campaignId));
}

/**
 * Durable Object calls can fail when the object is overloaded, being reset
 * or moved; all of those are worth retrying, so callers get a 503.
 * https://developers.cloudflare.com/durable-objects/best-practices/error-handling/
 */
export async function callRoom<T>(
  what: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new ApiError(
      503,
      "campaign_unavailable",
      `the campaign could not ${what} just now; retry shortly`,
      undefined,
      { cause: err },
    );
  }
}

/** SQLite's own verdicts on a statement: a bug here, not worth a retry. */
const STATEMENT_ERROR = /SQLITE_(ERROR|CONSTRAINT|MISMATCH|RANGE|TOOBIG)/;

export async function callD1<T>(
  what: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (STATEMENT_ERROR.test(String(err))) throw err;
    console.error(
      JSON.stringify({ level: "error", msg: `D1 failed to ${what}`, error: String(err) }),
    );
    throw new ApiError(
      503,
      "storage_unavailable",
      `the database could not ${what} just now; retry shortly`,
      undefined,
      { cause: err },
    );
  }
}
