import { Hono } from "hono";
import { CampaignRoom } from "../durable-objects/campaign-room.ts";
import type { AppEnv } from "./env.ts";
import { ApiError, handleError } from "./errors.ts";
import { campaignRoutes } from "./routes/campaigns.ts";
import { gatewayRoutes } from "./routes/gateway.ts";
import { liveRoutes } from "./routes/live.ts";

export { CampaignRoom };

export const app = new Hono<AppEnv>();

app.get("/api/health", (c) => c.json({ ok: true, service: "ticks" }));

// The live route takes a viewer link token, not the operator's bearer
// token, so it is registered before the operator routes' middleware.
app.route("/api/campaigns", liveRoutes);
app.route("/api/campaigns", campaignRoutes);
app.route("/api/gateway", gatewayRoutes);

app.all("/api/*", (c) => {
  throw new ApiError(
    404,
    "not_found",
    `no route ${c.req.method} ${new URL(c.req.url).pathname}; see docs/api.md`,
  );
});

app.onError(handleError);

export default app;
