import type { AckStatus, GatewayEvent } from "../domain/events.ts";
import type { Bench, BenchContext } from "./context.ts";
import { ackEvent, chunk } from "./events.ts";
import { log, type Figure } from "./report.ts";
import { inPool, median, round, roundAgainst } from "./stats.ts";

// The most the events route takes in one batch (domain/events.ts).
const SETTLE_BATCH = 500;
const SETTLE_IN_FLIGHT = 8;
const WARM_UP = 3;
const REPEAT_IN_WORKER = 20;

const SETTLED: AckStatus[] = [
  "failed",
  "read",
  "read",
  "read",
  "read",
  "read",
  "read",
  "delivered",
  "delivered",
  "sent",
];

/** A campaign whose every recipient has reached its last status. */
async function settledCampaign(ctx: BenchContext, size: number): Promise<string> {
  const started = performance.now();
  const { id } = await ctx.client.createCampaign(`bench snapshot ${size}`, size);
  await ctx.client.start(id);
  const events: GatewayEvent[] = Array.from({ length: size }, (_, i) =>
    ackEvent(id, i, SETTLED[i % SETTLED.length]!),
  );
  await inPool(
    chunk(events, SETTLE_BATCH).map((batch) => () => ctx.client.postEvents(batch)),
    SETTLE_IN_FLIGHT,
  );
  log(`snapshot: ${size} settled in ${round((performance.now() - started) / 1000)} s`);
  return id;
}

async function timed(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await call();
  return performance.now() - started;
}

interface ReadCosts {
  /** round trips from this client, medians */
  readMs: number;
  recountMs: number;
  /** inside the Worker, no HTTP: medians of means of REPEAT_IN_WORKER */
  workerReadMs: number;
  workerRecountMs: number;
}

interface Samples {
  read: number[];
  recount: number[];
  workerRead: number[];
  workerRecount: number[];
}

/**
 * Each round reads every campaign, each read followed by its recount, so
 * all sizes and both ways see the same machine, however its speed drifts.
 */
async function readCosts(ctx: BenchContext, ids: string[], rounds: number) {
  const samples: Samples[] = ids.map(() => ({
    read: [],
    recount: [],
    workerRead: [],
    workerRecount: [],
  }));
  for (let round = 0; round < WARM_UP + rounds; round++) {
    for (const [i, id] of ids.entries()) {
      const read = await timed(() => ctx.client.campaign(id));
      const recount = await timed(() => ctx.client.recount(id));
      if (round < WARM_UP) continue;
      samples[i]!.read.push(read);
      samples[i]!.recount.push(recount);
      if (round % 4 !== 0) continue;
      const cost = await ctx.client.cost(id, REPEAT_IN_WORKER);
      samples[i]!.workerRead.push(cost.snapshotMs);
      samples[i]!.workerRecount.push(cost.recountMs);
    }
  }
  return samples.map((s): ReadCosts => ({
    readMs: median(s.read),
    recountMs: median(s.recount),
    workerReadMs: median(s.workerRead),
    workerRecountMs: median(s.workerRecount),
  }));
}

/**
 * Figure 3: the median campaign read (the object's snapshot) against the
 * origin's recount (GROUP BY over D1) at three campaign sizes, both as a
 * client sees them and inside the Worker. The read path never touches
 * recipient rows, so its cost should not depend on the size.
 */
export const snapshotBench: Bench = {
  name: "snapshot",
  async run(ctx) {
    const sizes = ctx.quick ? [1_000, 5_000, 20_000] : [1_000, 10_000, 100_000];
    const reads = ctx.quick ? 16 : 40;
    const ids = [];
    for (const size of sizes) ids.push(await settledCampaign(ctx, size));
    const costs = await readCosts(ctx, ids, reads);
    for (const [i, size] of sizes.entries()) {
      for (const figure of sizeFigures(size, reads, costs[i]!)) ctx.report.add(figure);
    }
    for (const figure of ratioFigures(sizes, costs)) ctx.report.add(figure);
  },
};

function sizeFigures(size: number, reads: number, cost: ReadCosts): Figure[] {
  const params = { recipients: size, reads, repeatInWorker: REPEAT_IN_WORKER };
  const figure = (name: string, value: number, baseline?: string): Figure => ({
    name: `snapshot.${name}.${size}`,
    value: round(value, 2),
    unit: "ms",
    params,
    ...(baseline ? { baseline: `snapshot.${baseline}.${size}` } : {}),
  });
  return [
    figure("read_ms", cost.readMs, "recount_ms"),
    figure("recount_ms", cost.recountMs),
    figure("worker_read_ms", cost.workerReadMs, "worker_recount_ms"),
    figure("worker_recount_ms", cost.workerRecountMs),
  ];
}

function ratioFigures(sizes: number[], costs: ReadCosts[]): Figure[] {
  const [small, large] = [costs[0]!, costs.at(-1)!];
  const params = { small: sizes[0], large: sizes.at(-1) };
  const ratio = (name: string, raw: number, limit: number, atLeast: boolean): Figure => {
    const value = roundAgainst(raw, 2, atLeast ? "at least" : "at most");
    const target = `${atLeast ? "≥" : "≤"} ${limit}`;
    const met = atLeast ? value >= limit : value <= limit;
    return { name: `snapshot.${name}`, value, unit: "ratio", params, target, met };
  };
  const growth = large.readMs / small.readMs;
  const workerGrowth = large.workerReadMs / small.workerReadMs;
  const advantage = large.recountMs / large.readMs;
  const workerAdvantage = large.workerRecountMs / large.workerReadMs;
  return [
    ratio("read_growth", growth, 1.5, false),
    ratio("worker_read_growth", workerGrowth, 1.5, false),
    ratio("recount_over_read", advantage, 10, true),
    ratio("worker_recount_over_read", workerAdvantage, 10, true),
  ];
}
