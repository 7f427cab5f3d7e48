import { Hono } from "hono";
import { checkViewerLink, LINK_REFUSALS } from "../auth/viewer-link.ts";
import { CAMPAIGN_ID } from "../campaigns/campaign-id.ts";
import { roomOf } from "../campaigns/room.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { viewerWithinLimit } from "../rate-limit.ts";

export const liveRoutes = new Hono<AppEnv>();

/**
 * Browsers hide the HTTP status of a refused upgrade, so a refusal is an
 * accepted socket closed at once with a code and reason the page can show.
 * 4001: link invalid or expired; 4004: no such campaign; 4029: too many
 * connections from one address (the page retries with backoff).
 */
function refuse(code: number, reason: string): Response {
  const [client, server] = Object.values(new WebSocketPair());
  server!.accept();
  server!.close(code, reason);
  return new Response(null, { status: 101, webSocket: client });
}

liveRoutes.get("/:id/live", async (c) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(
      426,
      "upgrade_required",
      "this is a WebSocket endpoint; connect with a WebSocket client",
    );
  }
  const id = c.req.param("id");
  if (!CAMPAIGN_ID.test(id)) return refuse(4004, "this campaign does not exist");
  const check = await checkViewerLink(c.env, c.req.query("t") ?? "", id);
  if (check === "missing") return refuse(4004, "this campaign does not exist");
  if (check !== "ok") return refuse(4001, LINK_REFUSALS[check]);
  if (!(await viewerWithinLimit(c.env, c.req.raw, id))) {
    return refuse(4029, "too many connections from your address; retrying shortly");
  }
  return roomOf(c.env, id).fetch(c.req.raw);
});
