import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { secretsEqual } from "./constant-time.ts";

export function bearerTokenOf(header: string | undefined): string | null {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}

export const requireOperator = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerTokenOf(c.req.header("Authorization"));
  if (!token) {
    throw new ApiError(
      401,
      "unauthorized",
      "send the operator token as 'Authorization: Bearer <token>'",
    );
  }
  if (!(await secretsEqual(token, c.env.OPERATOR_TOKEN))) {
    throw new ApiError(401, "unauthorized", "the operator token is not valid");
  }
  await next();
});
