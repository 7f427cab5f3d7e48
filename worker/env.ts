import type { CampaignRoom } from "../durable-objects/campaign-room.ts";

export interface Env {
  DB: D1Database;
  CAMPAIGN_ROOM: DurableObjectNamespace<CampaignRoom>;
  ASSETS: Fetcher;
  OPERATOR_TOKEN: string;
  GATEWAY_SECRET: string;
  LINK_SECRET: string;
  /** limits link viewers per address and campaign (wrangler.toml) */
  VIEWER_LIMITER?: RateLimit;
  BROADCAST_WINDOW_MS?: string;
  LEASE_SECONDS?: string;
  /** "1" adds the benchmark baselines of worker/routes/bench.ts */
  BENCH_ROUTES?: string;
}

/** Who an operator request acts for. */
export interface Operator {
  workspaceId: string;
  /** the bootstrap OPERATOR_TOKEN, which may also make workspaces */
  admin: boolean;
  /** null for the bootstrap token */
  tokenId: string | null;
}

/** The gateway a signed request comes from. */
export interface GatewayIdentity {
  id: string;
  workspaceId: string;
}

export type AppEnv = {
  Bindings: Env;
  Variables: { gatewayId: string; gateway: GatewayIdentity; operator: Operator };
};
