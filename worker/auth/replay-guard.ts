import { MAX_CLOCK_SKEW_SECONDS } from "../../domain/signature.ts";
import { callD1 } from "../campaigns/room.ts";
import { ApiError } from "../errors.ts";

/** A signature is remembered as long as its timestamp could be accepted. */
const REMEMBER_MS = 2 * MAX_CLOCK_SKEW_SECONDS * 1000;

/**
 * A signed request captured on the way can be sent again while its
 * timestamp is fresh; a signature seen before is refused. The gateway signs
 * every attempt afresh, so its own retries are new signatures; one that
 * repeats an accepted request inside the same second is told so with 409
 * and can take it as done.
 */
export async function refuseReplay(db: D1Database, signature: string): Promise<void> {
  const seen = await callD1("check the request is new", () =>
    db
      .prepare("SELECT 1 AS seen FROM request_nonces WHERE signature = ? AND expires_at > ?")
      .bind(signature, Date.now())
      .first(),
  );
  if (seen) {
    throw new ApiError(
      409,
      "replayed",
      "this signed request was already received; sign a new request to send it again",
    );
  }
}

export function rememberSignature(db: D1Database, signature: string): D1PreparedStatement {
  return db
    .prepare(
      "INSERT INTO request_nonces (signature, expires_at) VALUES (?, ?) " +
        "ON CONFLICT(signature) DO NOTHING",
    )
    .bind(signature, Date.now() + REMEMBER_MS);
}

export function forgetExpiredSignatures(db: D1Database): Promise<D1Result> {
  return db.prepare("DELETE FROM request_nonces WHERE expires_at < ?").bind(Date.now()).run();
}
