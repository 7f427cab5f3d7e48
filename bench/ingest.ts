import type { GatewayEvent } from "../domain/events.ts";
import type { Funnel } from "../domain/funnel.ts";
import { retries } from "./client.ts";
import type { Bench, BenchContext } from "./context.ts";
import { chunk, ingestStream } from "./events.ts";
import { log } from "./report.ts";
import { inPool, percentile, round, roundAgainst } from "./stats.ts";

const IN_FLIGHT = 8;
// The gateway's own batch size (gateway/event-batcher.ts).
const BATCH_SIZE = 100;

interface PostRun {
  seconds: number;
  batchMs: number[];
}

async function postAll(
  ctx: BenchContext,
  batches: GatewayEvent[][],
  route: "events" | "floor",
): Promise<PostRun> {
  const batchMs: number[] = [];
  const started = performance.now();
  await inPool(
    batches.map((batch) => async () => {
      const t = performance.now();
      await ctx.client.postEvents(batch, route);
      batchMs.push(performance.now() - t);
    }),
    IN_FLIGHT,
  );
  return { seconds: (performance.now() - started) / 1000, batchMs };
}

/**
 * A fresh Worker runs its first requests cold (JIT, caches); a small
 * campaign of its own takes that cost off both timed paths.
 */
async function warmUp(ctx: BenchContext): Promise<void> {
  const recipients = 500;
  const { id } = await ctx.client.createCampaign("bench ingest warm-up", recipients);
  await ctx.client.start(id);
  const batches = chunk(ingestStream(id, recipients, recipients * 4).events, BATCH_SIZE);
  await postAll(ctx, renamed(batches, "w"), "floor");
  await postAll(ctx, batches, "events");
}

/**
 * The same load with other event ids: the Worker refuses a signed body it
 * has seen (worker/auth/replay-guard.ts), and the floor must not be
 * answered by that refusal.
 */
function renamed(batches: GatewayEvent[][], tag: string): GatewayEvent[][] {
  return batches.map((batch) => batch.map((e) => ({ ...e, id: `${e.id}-${tag}` })));
}

function sameFunnel(a: Funnel, b: Funnel): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Figure 1: signed batches of acks into one campaign, 8 in flight, beside
 * the floor (signature check + a no-op object RPC) posted the same load
 * just before and just after, so drift in the machine's speed shows.
 */
export const ingestBench: Bench = {
  name: "ingest",
  async run(ctx) {
    const recipients = ctx.quick ? 2_000 : 20_000;
    const total = recipients * 4;
    const { id } = await ctx.client.createCampaign("bench ingest", recipients);
    await ctx.client.start(id);
    const stream = ingestStream(id, recipients, total);
    const batches = chunk(stream.events, BATCH_SIZE);
    log(`ingest: ${stream.events.length} events in ${batches.length} batches`);
    await warmUp(ctx);
    const retriesBefore = retries.count;
    const floorBefore = await postAll(ctx, renamed(batches, "f1"), "floor");
    const ingest = await postAll(ctx, batches, "events");
    const floorAfter = await postAll(ctx, renamed(batches, "f2"), "floor");
    const [view, recount] = await Promise.all([ctx.client.campaign(id), ctx.client.recount(id)]);
    const exact =
      sameFunnel(view.counts, stream.expected) && sameFunnel(recount.counts, stream.expected);
    const events = stream.events.length;
    const rate = events / ingest.seconds;
    const floorSeconds = (floorBefore.seconds + floorAfter.seconds) / 2;
    const floorRate = events / floorSeconds;
    const params = {
      recipients,
      events,
      duplicates: stream.duplicates,
      moved: stream.moved,
      batchSize: BATCH_SIZE,
      inFlight: IN_FLIGHT,
      retried503: retries.count - retriesBefore,
    };
    ctx.report.add({
      name: "ingest.events_per_s",
      value: round(rate, 0),
      unit: "events/s",
      params: {
        ...params,
        seconds: round(ingest.seconds, 2),
        batchP50Ms: round(percentile(ingest.batchMs, 50)),
        batchP99Ms: round(percentile(ingest.batchMs, 99)),
      },
      target: "≥ 5000",
      met: rate >= 5_000,
      baseline: "ingest.floor_events_per_s",
    });
    ctx.report.add({
      name: "ingest.floor_events_per_s",
      value: round(floorRate, 0),
      unit: "events/s",
      params: {
        ...params,
        runsPerS: [floorBefore, floorAfter].map((r) => round(events / r.seconds, 0)),
        batchP50Ms: round(percentile([...floorBefore.batchMs, ...floorAfter.batchMs], 50)),
      },
    });
    const share = roundAgainst(rate / floorRate, 3, "at least");
    ctx.report.add({
      name: "ingest.share_of_floor",
      value: share,
      unit: "ratio",
      params,
      target: "≥ 0.5",
      met: share >= 0.5,
    });
    ctx.report.add({
      name: "ingest.counts_exact",
      value: exact ? 1 : 0,
      unit: "bool",
      params: { expected: stream.expected, object: view.counts, d1: recount.counts },
      target: "= 1",
      met: exact,
    });
  },
};
