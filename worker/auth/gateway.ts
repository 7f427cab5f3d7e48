import { createMiddleware } from "hono/factory";
import {
  GATEWAY_HEADER,
  MAX_CLOCK_SKEW_SECONDS,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyBody,
} from "../../domain/signature.ts";
import type { AppEnv } from "../env.ts";
import { gatewayKeys } from "./gateway-secrets.ts";
import { ApiError } from "../errors.ts";

const GATEWAY_ID = /^[A-Za-z0-9._-]{1,64}$/;

function unauthorized(message: string): ApiError {
  return new ApiError(401, "bad_signature", message);
}

/**
 * Checks the gateway's HMAC over "<timestamp>.<raw body>" and leaves the raw
 * body in `rawBody` so routes parse exactly the bytes that were signed.
 */
export type SignedEnv = AppEnv & {
  Variables: AppEnv["Variables"] & { rawBody: string; signature: string };
};

export const requireGateway = createMiddleware<SignedEnv>(async (c, next) => {
  const gatewayId = c.req.header(GATEWAY_HEADER) ?? "";
  const timestampText = c.req.header(TIMESTAMP_HEADER) ?? "";
  const signature = c.req.header(SIGNATURE_HEADER) ?? "";
  if (!GATEWAY_ID.test(gatewayId)) {
    throw unauthorized(`${GATEWAY_HEADER} must be 1-64 of A-Z a-z 0-9 . _ -`);
  }
  if (!/^\d{1,12}$/.test(timestampText)) {
    throw unauthorized(`${TIMESTAMP_HEADER} must be unix seconds`);
  }
  const skew = Math.abs(Date.now() / 1000 - Number(timestampText));
  if (skew > MAX_CLOCK_SKEW_SECONDS) {
    throw unauthorized(
      `${TIMESTAMP_HEADER} is ${Math.round(skew)} s off the Worker's clock ` +
        `(at most ${MAX_CLOCK_SKEW_SECONDS}); check the gateway's clock`,
    );
  }
  if (!signature) {
    throw unauthorized(`${SIGNATURE_HEADER} is missing; sign "<timestamp>.<body>"`);
  }
  const body = await c.req.text();
  const keys = await gatewayKeys(c.env, gatewayId);
  const timestamp = Number(timestampText);
  let ok = false;
  for (const secret of keys.secrets) {
    ok ||= await verifyBody(secret, timestamp, body, signature);
  }
  if (!ok) {
    throw unauthorized(
      `${SIGNATURE_HEADER} does not match the body; is gateway ${gatewayId} ` +
        "signing with its own secret (or this deployment's GATEWAY_SECRET)?",
    );
  }
  c.set("gatewayId", gatewayId);
  c.set("gateway", keys.identity);
  c.set("signature", signature);
  c.set("rawBody", body);
  await next();
});
