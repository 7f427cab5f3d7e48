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

export type AppEnv = { Bindings: Env; Variables: { gatewayId: string } };
