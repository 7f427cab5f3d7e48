import { Hono } from "hono";
import { z } from "zod";
import { derivedGatewaySecret, forgetGatewayKeys } from "../auth/gateway-secrets.ts";
import { requireAdmin, requireOperator } from "../auth/operator.ts";
import { newOperatorToken, randomId } from "../auth/tokens.ts";
import { limitSmallBody } from "../body-limits.ts";
import { callD1 } from "../campaigns/room.ts";
import { lineOfText } from "../campaigns/safe-text.ts";
import type { AppEnv, Env } from "../env.ts";
import { ApiError, notFound } from "../errors.ts";
import { parseWith, readJsonBody } from "../validation.ts";

/** Workspaces, operator tokens and gateways: who may act on what. */
export const accessRoutes = new Hono<AppEnv>();

const named = z.object({ name: lineOfText(100).pipe(z.string().min(1, "a name is required")) });
const GATEWAY_ID = /^[A-Za-z0-9._-]{1,64}$/;

async function issueToken(env: Env, workspaceId: string, name: string) {
  const made = await newOperatorToken();
  await callD1("save the token", () =>
    env.DB.prepare(
      "INSERT INTO operator_tokens (id, workspace_id, name, secret_hash, created_at) " +
        "VALUES (?, ?, ?, ?, ?)",
    )
      .bind(made.id, workspaceId, name, made.secretHash, Date.now())
      .run(),
  );
  return { id: made.id, token: made.token };
}

accessRoutes.post("/workspaces", requireAdmin, limitSmallBody, async (c) => {
  const { name } = parseWith(named, await readJsonBody(c.req.raw));
  const id = `ws_${randomId(12)}`;
  await callD1("save the workspace", () =>
    c.env.DB.prepare("INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)")
      .bind(id, name, Date.now())
      .run(),
  );
  const token = await issueToken(c.env, id, `${name} (first token)`);
  return c.json({ workspace: { id, name }, token }, 201);
});

accessRoutes.post("/tokens", requireOperator, limitSmallBody, async (c) => {
  const { name } = parseWith(named, await readJsonBody(c.req.raw));
  const workspaceId = c.var.operator.workspaceId;
  return c.json({ ...(await issueToken(c.env, workspaceId, name)), workspaceId }, 201);
});

accessRoutes.get("/tokens", requireOperator, async (c) => {
  const { results } = await callD1("list tokens", () =>
    c.env.DB.prepare(
      "SELECT id, name, created_at AS createdAt, revoked_at AS revokedAt " +
        "FROM operator_tokens WHERE workspace_id = ? ORDER BY created_at",
    )
      .bind(c.var.operator.workspaceId)
      .all(),
  );
  return c.json({ tokens: results });
});

accessRoutes.delete("/tokens/:id", requireOperator, async (c) => {
  const revokedAt = Date.now();
  const result = await callD1("revoke the token", () =>
    c.env.DB.prepare(
      "UPDATE operator_tokens SET revoked_at = COALESCE(revoked_at, ?) " +
        "WHERE id = ? AND workspace_id = ?",
    )
      .bind(revokedAt, c.req.param("id"), c.var.operator.workspaceId)
      .run(),
  );
  if (result.meta.changes === 0) throw notFound(`token ${c.req.param("id")}`);
  return c.json({ id: c.req.param("id"), revoked: true });
});

const gatewayBody = z.object({
  id: z.string().regex(GATEWAY_ID, "a gateway id: 1-64 of A-Z a-z 0-9 . _ -"),
});

interface GatewayRow {
  workspace_id: string;
  secret_generation: number | null;
  previous_generation: number | null;
}

function gatewayRow(env: Env, id: string) {
  return callD1("look up the gateway", () =>
    env.DB.prepare(
      "SELECT workspace_id, secret_generation, previous_generation FROM gateways WHERE id = ?",
    )
      .bind(id)
      .first<GatewayRow>(),
  );
}

/**
 * Registering gives a gateway its own secret. An id a bootstrap gateway of
 * the default workspace has used can be registered there; an id another
 * workspace holds cannot.
 */
accessRoutes.post("/gateways", requireOperator, limitSmallBody, async (c) => {
  const { id } = parseWith(gatewayBody, await readJsonBody(c.req.raw));
  const workspaceId = c.var.operator.workspaceId;
  const existing = await gatewayRow(c.env, id);
  if (existing && (existing.workspace_id !== workspaceId || existing.secret_generation !== null)) {
    throw new ApiError(
      409,
      "gateway_taken",
      `gateway id ${id} is already registered; choose another id, or rotate its secret`,
    );
  }
  await callD1("register the gateway", () =>
    c.env.DB.prepare(
      `INSERT INTO gateways (id, workspace_id, secret_generation, state, last_seen_at)
       VALUES (?1, ?2, 1, 'registered', 0)
       ON CONFLICT(id) DO UPDATE SET secret_generation = 1, previous_generation = NULL
       WHERE gateways.workspace_id = ?2 AND gateways.secret_generation IS NULL`,
    )
      .bind(id, workspaceId)
      .run(),
  );
  forgetGatewayKeys(id);
  const secret = await derivedGatewaySecret(c.env.GATEWAY_SECRET, id, 1);
  return c.json({ id, workspaceId, generation: 1, secret }, 201);
});

async function ownedGateway(env: Env, workspaceId: string, id: string): Promise<GatewayRow> {
  const row = await gatewayRow(env, id);
  if (!row || row.workspace_id !== workspaceId || row.secret_generation === null) {
    throw notFound(`registered gateway ${id}`);
  }
  return row;
}

/** Both secrets work until the previous one is retired: no event is refused meanwhile. */
accessRoutes.post("/gateways/:id/rotate", requireOperator, limitSmallBody, async (c) => {
  const id = c.req.param("id");
  const row = await ownedGateway(c.env, c.var.operator.workspaceId, id);
  const generation = row.secret_generation! + 1;
  await callD1("rotate the gateway's secret", () =>
    c.env.DB.prepare(
      "UPDATE gateways SET secret_generation = ?, previous_generation = ? WHERE id = ?",
    )
      .bind(generation, row.secret_generation, id)
      .run(),
  );
  forgetGatewayKeys(id);
  const secret = await derivedGatewaySecret(c.env.GATEWAY_SECRET, id, generation);
  return c.json({ id, generation, secret, previousStillValid: true });
});

accessRoutes.post("/gateways/:id/retire-previous", requireOperator, limitSmallBody, async (c) => {
  const id = c.req.param("id");
  await ownedGateway(c.env, c.var.operator.workspaceId, id);
  await callD1("retire the previous secret", () =>
    c.env.DB.prepare("UPDATE gateways SET previous_generation = NULL WHERE id = ?").bind(id).run(),
  );
  forgetGatewayKeys(id);
  return c.json({ id, previousStillValid: false });
});

accessRoutes.get("/gateways", requireOperator, async (c) => {
  const { results } = await callD1("list gateways", () =>
    c.env.DB.prepare(
      `SELECT id, state, reason, last_seen_at AS lastSeenAt,
         secret_generation AS generation, previous_generation IS NOT NULL AS rotating
       FROM gateways WHERE workspace_id = ? ORDER BY id`,
    )
      .bind(c.var.operator.workspaceId)
      .all(),
  );
  return c.json({ gateways: results });
});
