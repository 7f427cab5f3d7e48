import { createMiddleware } from "hono/factory";
import { callD1 } from "../campaigns/room.ts";
import type { AppEnv, Env, Operator } from "../env.ts";
import { ApiError } from "../errors.ts";
import { secretsEqual } from "./constant-time.ts";
import { parseOperatorToken, sha256Hex } from "./tokens.ts";

export const DEFAULT_WORKSPACE = "default";

export function bearerTokenOf(header: string | undefined): string | null {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}

function unauthorized(message: string): ApiError {
  return new ApiError(401, "unauthorized", message);
}

/**
 * The bootstrap OPERATOR_TOKEN acts in the default workspace and may make
 * workspaces; every other token is a workspace's own, checked against the
 * SHA-256 kept of its secret.
 */
export async function operatorOf(env: Env, header: string | undefined): Promise<Operator> {
  const token = bearerTokenOf(header);
  if (!token) {
    throw unauthorized("send an operator token as 'Authorization: Bearer <token>'");
  }
  if (await secretsEqual(token, env.OPERATOR_TOKEN)) {
    return { workspaceId: DEFAULT_WORKSPACE, admin: true, tokenId: null };
  }
  const parsed = parseOperatorToken(token);
  const row = parsed && (await tokenRow(env.DB, parsed.id));
  const hash = parsed ? await sha256Hex(parsed.secret) : "";
  // Compared even when no row was found, so timing tells nothing.
  const matches = await secretsEqual(hash, row?.secret_hash ?? "no token");
  if (!parsed || !row || !matches) throw unauthorized("the operator token is not valid");
  if (row.revoked_at !== null) throw unauthorized("this operator token was revoked");
  return { workspaceId: row.workspace_id, admin: false, tokenId: parsed.id };
}

interface TokenRow {
  workspace_id: string;
  secret_hash: string;
  revoked_at: number | null;
}

function tokenRow(db: D1Database, id: string): Promise<TokenRow | null> {
  return callD1("check the operator token", () =>
    db
      .prepare("SELECT workspace_id, secret_hash, revoked_at FROM operator_tokens WHERE id = ?")
      .bind(id)
      .first<TokenRow>(),
  );
}

export const requireOperator = createMiddleware<AppEnv>(async (c, next) => {
  c.set("operator", await operatorOf(c.env, c.req.header("Authorization")));
  await next();
});

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const operator = await operatorOf(c.env, c.req.header("Authorization"));
  if (!operator.admin) {
    throw new ApiError(403, "forbidden", "only the deployment's OPERATOR_TOKEN may do this");
  }
  c.set("operator", operator);
  await next();
});
