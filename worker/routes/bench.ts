import { Hono } from "hono";
import { funnelFromStatusCounts } from "../../domain/funnel.ts";
import { emptyStatusCounts, type Status } from "../../domain/status.ts";
import { requireGateway } from "../auth/gateway.ts";
import { requireOperator } from "../auth/operator.ts";
import { CAMPAIGN_ID } from "../campaigns/campaign-id.ts";
import { callD1, callRoom, roomOf } from "../campaigns/room.ts";
import type { AppEnv } from "../env.ts";
import { ApiError, notFound } from "../errors.ts";
import { parseJson } from "../validation.ts";

type BenchEnv = AppEnv & { Variables: { rawBody: string } };

/**
 * Baselines for `npm run bench` (bench/), measured beside the real routes
 * in the same run. They exist only when the var BENCH_ROUTES is "1", which
 * only the bench's own `wrangler dev` sets; anywhere else they are 404.
 */
export const benchRoutes = new Hono<BenchEnv>();

benchRoutes.use("*", async (c, next) => {
  if (c.env.BENCH_ROUTES === "1") return next();
  const path = new URL(c.req.url).pathname;
  throw new ApiError(404, "not_found", `no route ${c.req.method} ${path}; see docs/api.md`);
});

interface LooseEvent {
  campaignId?: unknown;
}

/**
 * The platform's floor for event ingest: the same signature check (with
 * its key and replay look-ups) and one RPC per campaign as
 * `/api/gateway/events`, with no validation, no writes and an object
 * method that does nothing.
 */
benchRoutes.post("/floor", requireGateway, async (c) => {
  const body = parseJson(c.var.rawBody) as { events?: LooseEvent[] };
  const groups = new Map<string, LooseEvent[]>();
  for (const event of body.events ?? []) {
    const group = groups.get(String(event.campaignId)) ?? [];
    group.push(event);
    groups.set(String(event.campaignId), group);
  }
  let handed = 0;
  for (const [id, events] of groups) {
    handed += await callRoom("take the batch", () => roomOf(c.env, id).floor(events));
  }
  return c.json({ handed });
});

/**
 * The design Ticks replaces: one aggregate query over D1 per read. Kept in
 * the origin's shape so the snapshot benchmark compares like with like.
 */
const RECOUNT_SQL =
  "SELECT status, COUNT(*) AS n FROM recipients WHERE campaign_id = ? GROUP BY status";

async function recount(db: D1Database, id: string) {
  const { results } = await callD1("recount the campaign", () =>
    db.prepare(RECOUNT_SQL).bind(id).all<{ status: Status; n: number }>(),
  );
  const counts = emptyStatusCounts();
  for (const row of results) counts[row.status] = row.n;
  return funnelFromStatusCounts(counts);
}

function campaignId(id: string): string {
  if (!CAMPAIGN_ID.test(id)) throw notFound(`campaign ${id}`);
  return id;
}

benchRoutes.get("/campaigns/:id/recount", requireOperator, async (c) => {
  const id = campaignId(c.req.param("id"));
  return c.json({ counts: await recount(c.env.DB, id) });
});

// A snapshot takes well under a millisecond: more of them per recount.
const SNAPSHOTS_PER_RECOUNT = 10;

/**
 * Both reads timed inside the Worker, without HTTP. workerd's clock moves
 * only across I/O and in whole milliseconds, so each read is repeated
 * (interleaved, to share the machine's state) and means are returned.
 */
benchRoutes.get("/campaigns/:id/cost", requireOperator, async (c) => {
  const id = campaignId(c.req.param("id"));
  const repeat = Math.min(100, Math.max(1, Number(c.req.query("repeat") ?? 20)));
  const room = roomOf(c.env, id);
  let snapshotMs = 0;
  let recountMs = 0;
  for (let i = 0; i < repeat; i++) {
    let started = performance.now();
    for (let k = 0; k < SNAPSHOTS_PER_RECOUNT; k++) {
      await callRoom("be read", () => room.snapshot());
    }
    snapshotMs += performance.now() - started;
    started = performance.now();
    await recount(c.env.DB, id);
    recountMs += performance.now() - started;
  }
  return c.json({
    snapshotMs: snapshotMs / (repeat * SNAPSHOTS_PER_RECOUNT),
    recountMs: recountMs / repeat,
  });
});
