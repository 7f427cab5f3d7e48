import { ROWS_PER_CHUNK } from "./client.ts";
import type { Bench } from "./context.ts";
import { memoryOf, RssSampler } from "./memory.ts";
import { percentile, round } from "./stats.ts";

/**
 * Figure 5: a campaign created through the API in chunks (the first with
 * the campaign, the rest appended), while the workerd processes' resident
 * memory is sampled every 100 ms.
 */
export const createBench: Bench = {
  name: "create",
  async run(ctx) {
    const rows = ctx.quick ? 20_000 : 100_000;
    const pids = ctx.stack.workerdPids();
    const sampler = new RssSampler(() => pids);
    const before = sampler.now();
    const chunkMs: number[] = [];
    const started = performance.now();
    await ctx.client.createCampaign("bench create", rows, (ms) => chunkMs.push(ms));
    const seconds = (performance.now() - started) / 1000;
    const peak = sampler.stop();
    const hwm = pids.map((pid) => round(memoryOf(pid)?.hwmMiB ?? 0, 0));
    const params = {
      rows,
      chunkRows: ROWS_PER_CHUNK,
      chunks: chunkMs.length,
      firstChunkMs: round(chunkMs[0] ?? 0, 0),
      lastChunkMs: round(chunkMs.at(-1) ?? 0, 0),
      chunkP50Ms: round(percentile(chunkMs, 50), 0),
    };
    ctx.report.add({
      name: "create.seconds",
      value: round(seconds, 2),
      unit: "s",
      params,
      target: "< 20",
      met: seconds < 20,
    });
    ctx.report.add({
      name: "create.rows_per_s",
      value: round(rows / seconds, 0),
      unit: "rows/s",
      params,
    });
    const memory = {
      ...params,
      processes: pids.length,
      rssBeforeMiB: round(before, 0),
      vmHwmMiBEach: hwm,
    };
    ctx.report.add({
      name: "create.workerd_peak_rss_mib",
      value: round(peak, 0),
      unit: "MiB",
      params: memory,
    });
    ctx.report.add({
      name: "create.workerd_rss_growth_mib",
      value: round(peak - before, 0),
      unit: "MiB",
      params: memory,
    });
  },
};
