import type { Env } from "../env.ts";
import { ApiError } from "../errors.ts";

export function roomOf(env: Env, campaignId: string) {
  return env.CAMPAIGN_ROOM.get(env.CAMPAIGN_ROOM.idFromName(campaignId));
}

interface DurableObjectError {
  retryable?: boolean;
  overloaded?: boolean;
  remote?: boolean;
}

/**
 * Durable Object calls fail when the object is overloaded, being reset or
 * moved: the caller gets a 503 and retries later (longer when overloaded,
 * to let it drain). An error our own object code threw, and that the
 * runtime does not mark retryable, is a bug: it stays a 500.
 * https://developers.cloudflare.com/durable-objects/best-practices/error-handling/
 */
export async function callRoom<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const flags = (err ?? {}) as DurableObjectError;
    if (flags.overloaded) {
      throw ApiError.retryable(
        "campaign_overloaded",
        `the campaign is too busy to ${what} just now; retry in a few seconds`,
        5,
        err,
      );
    }
    if (flags.remote && !flags.retryable) throw err;
    throw ApiError.retryable(
      "campaign_unavailable",
      `the campaign could not ${what} just now; retry shortly`,
      1,
      err,
    );
  }
}

/** SQLite's own verdicts on a statement: a bug here, not worth a retry. */
const STATEMENT_ERROR = /SQLITE_(ERROR|CONSTRAINT|MISMATCH|RANGE|TOOBIG)/;
/** A D1 call that has not answered by then is treated as failed. */
export const D1_TIMEOUT_MS = 15_000;

/**
 * D1 can fail or stall now and then; the caller gets a 503 and retries.
 * A write that stalled may still land later, which is safe: every write
 * Ticks makes gives the same row when applied twice.
 */
export async function callD1<T>(what: string, call: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${D1_TIMEOUT_MS} ms`)),
      D1_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (err) {
    if (STATEMENT_ERROR.test(String(err))) throw err;
    throw ApiError.retryable(
      "storage_unavailable",
      `the database could not ${what} just now; retry shortly`,
      1,
      err,
    );
  } finally {
    clearTimeout(timer);
  }
}
