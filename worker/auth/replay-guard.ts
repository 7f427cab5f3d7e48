import { MAX_CLOCK_SKEW_SECONDS } from "../../domain/signature.ts";
import { ApiError } from "../errors.ts";

/** A signature is remembered as long as its timestamp could be accepted. */
const REMEMBER_MS = 2 * MAX_CLOCK_SKEW_SECONDS * 1000;

/**
 * A signed request captured on the way could be sent again while its
 * timestamp is fresh, so every accepted signature is remembered and a
 * second use is refused. The signature's row is written in the same D1
 * batch as the request's own writes: a request that fails writes nothing
 * and stays retryable, and one that succeeded cannot be replayed. The
 * gateway puts a fresh nonce in every attempt, so its retries are new
 * signatures.
 */
export function rememberSignature(db: D1Database, signature: string): D1PreparedStatement {
  return db
    .prepare("INSERT INTO request_nonces (signature, expires_at) VALUES (?, ?)")
    .bind(signature, Date.now() + REMEMBER_MS);
}

/** Runs a D1 batch that starts with `rememberSignature`, answering 409 to a replay. */
export async function refusingReplays<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (/UNIQUE constraint failed: request_nonces/.test(String(err))) {
      throw new ApiError(
        409,
        "replayed",
        "this signed request was already received; sign a new request " +
          "(with a new nonce) to send it again",
      );
    }
    throw err;
  }
}

export function forgetExpiredSignatures(db: D1Database): Promise<D1Result> {
  return db.prepare("DELETE FROM request_nonces WHERE expires_at < ?").bind(Date.now()).run();
}
