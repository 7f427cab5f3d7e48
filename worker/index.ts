import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { CampaignRoom } from "../durable-objects/campaign-room.ts";
import type { AppEnv } from "./env.ts";
import { ApiError, handleError } from "./errors.ts";
import { campaignRoutes } from "./routes/campaigns.ts";
import { gatewayRoutes } from "./routes/gateway.ts";
import { liveRoutes } from "./routes/live.ts";
import { reconcileRoutes } from "./routes/reconcile.ts";
import { linkRoutes } from "./routes/links.ts";
import { campaignListRoutes } from "./routes/campaign-list.ts";
import { accessRoutes } from "./routes/access.ts";
import { recipientUploadRoutes } from "./routes/recipient-upload.ts";
import { reconcileActiveCampaigns } from "./campaigns/reconcile.ts";
import { forgetExpiredSignatures } from "./auth/replay-guard.ts";
import type { Env } from "./env.ts";
import { recipientRoutes } from "./routes/recipients.ts";
import { benchRoutes } from "./routes/bench.ts";

export { CampaignRoom };

export const app = new Hono<AppEnv>();

// API answers are data for one caller: never cached, never sniffed, and
// never framed; a link token in the address never leaks through Referer.
app.use(
  "/api/*",
  secureHeaders({ referrerPolicy: "no-referrer", crossOriginResourcePolicy: "same-origin" }),
);
app.use("/api/*", async (c, next) => {
  await next();
  c.header("Cache-Control", "no-store");
});

app.get("/api/health", (c) => c.json({ ok: true, service: "ticks" }));

// The live and recipient routes take a viewer link token, not only the
// operator's bearer token, so they come before the operator middleware.
app.route("/api/campaigns", liveRoutes);
app.route("/api/campaigns", reconcileRoutes);
app.route("/api/campaigns", linkRoutes);
app.route("/api/campaigns", recipientUploadRoutes);
app.route("/api/campaigns", recipientRoutes);
app.route("/api/campaigns", campaignListRoutes);
app.route("/api/campaigns", campaignRoutes);
app.route("/api/gateway", gatewayRoutes);
app.route("/api", accessRoutes);
app.route("/api/bench", benchRoutes);

app.all("/api/*", (c) => {
  throw new ApiError(
    404,
    "not_found",
    `no route ${c.req.method} ${new URL(c.req.url).pathname}; see docs/api.md`,
  );
});

app.onError(handleError);

/**
 * The cron trigger (wrangler.toml) recounts active campaigns now and then,
 * so any drift between D1 and the counters is repaired without an operator.
 */
async function scheduled(
  _controller: ScheduledController,
  env: Env,
  ctx: ExecutionContext,
): Promise<void> {
  ctx.waitUntil(reconcileActiveCampaigns(env));
  ctx.waitUntil(forgetExpiredSignatures(env.DB));
}

export default { fetch: app.fetch, scheduled } satisfies ExportedHandler<Env>;
