import { hmacKey } from "../../domain/signature.ts";
import { DEFAULT_WORKSPACE } from "./operator.ts";
import { callD1 } from "../campaigns/room.ts";
import type { Env, GatewayIdentity } from "../env.ts";

const encoder = new TextEncoder();

/**
 * A registered gateway's secret is HMAC(GATEWAY_SECRET, "gateway:<id>:<n>"):
 * nothing secret is stored, a secret works for its own gateway id only, and
 * a rotation is a new generation n. The bootstrap GATEWAY_SECRET itself
 * signs for unregistered gateway ids, in the default workspace.
 */
export async function derivedGatewaySecret(
  master: string,
  gatewayId: string,
  generation: number,
): Promise<string> {
  const key = await hmacKey(master);
  const label = encoder.encode(`gateway:${gatewayId}:${generation}`);
  const mac = await crypto.subtle.sign("HMAC", key, label);
  const hex = [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `gs_${hex}`;
}

export interface GatewayKeys {
  identity: GatewayIdentity;
  /** every secret that may sign for this gateway right now */
  secrets: string[];
}

interface GatewayRow {
  workspace_id: string;
  secret_generation: number | null;
  previous_generation: number | null;
}

/**
 * Each isolate keeps a gateway's keys for a short while: every request
 * otherwise costs a D1 read. A rotation or registration therefore takes
 * effect within KEYS_TTL_MS.
 */
export const KEYS_TTL_MS = 30_000;
const cache = new Map<string, { keys: GatewayKeys; until: number }>();

export async function gatewayKeys(env: Env, gatewayId: string): Promise<GatewayKeys> {
  const hit = cache.get(gatewayId);
  if (hit && hit.until > Date.now()) return hit.keys;
  const keys = await readGatewayKeys(env, gatewayId);
  if (cache.size > 1_000) cache.clear();
  cache.set(gatewayId, { keys, until: Date.now() + KEYS_TTL_MS });
  return keys;
}

/** Forgets what this isolate knows of a gateway's keys (after a change). */
export function forgetGatewayKeys(gatewayId: string): void {
  cache.delete(gatewayId);
}

async function readGatewayKeys(env: Env, gatewayId: string): Promise<GatewayKeys> {
  const row = await callD1("look up the gateway", () =>
    env.DB.prepare(
      "SELECT workspace_id, secret_generation, previous_generation FROM gateways WHERE id = ?",
    )
      .bind(gatewayId)
      .first<GatewayRow>(),
  );
  if (!row || row.secret_generation === null) {
    const workspaceId = row?.workspace_id ?? DEFAULT_WORKSPACE;
    return { identity: { id: gatewayId, workspaceId }, secrets: [env.GATEWAY_SECRET] };
  }
  const generations = [row.secret_generation, row.previous_generation].filter(
    (g): g is number => g !== null,
  );
  const secrets = await Promise.all(
    generations.map((g) => derivedGatewaySecret(env.GATEWAY_SECRET, gatewayId, g)),
  );
  return { identity: { id: gatewayId, workspaceId: row.workspace_id }, secrets };
}
