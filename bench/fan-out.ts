import { BROADCAST_WINDOW_MS, type Bench } from "./context.ts";
import { ackEvent } from "./events.ts";
import { log } from "./report.ts";
import { inPool, percentile, round, sleep } from "./stats.ts";
import {
  assertAllOpen,
  closeAll,
  liveUrl,
  openViewer,
  postAtRate,
  viewerAddress,
  type Viewer,
} from "./viewers.ts";

const PER_SECOND = 10;
const CONNECTS_IN_FLIGHT = 50;
const SETTLE_MS = 5_000;

/**
 * Figure 4: many viewers of one campaign on loopback, one Node client.
 * Event k reaches a viewer with the first payload showing more than k
 * delivered; its figure is the time until the last viewer has it.
 */
export const fanOutBench: Bench = {
  name: "fanout",
  async run(ctx) {
    const viewerCount = ctx.quick ? 200 : 1_000;
    const seconds = ctx.quick ? 5 : 30;
    const count = seconds * PER_SECOND;
    const { id, token } = await ctx.client.createCampaign("bench fan-out", count + 10);
    await ctx.client.start(id);
    const postedAt: number[] = [];
    const reached = new Array<number>(count).fill(0);
    const allAt = new Map<number, number>();
    const onDelivered = (v: Viewer, d: number, now: number) => {
      for (let k = v.delivered; k < Math.min(d, count); k++) {
        if (++reached[k]! === viewerCount) allAt.set(k, now - postedAt[k]!);
      }
    };
    const url = liveUrl(ctx.stack.url, id, token);
    const connectStarted = performance.now();
    const viewers = await inPool(
      Array.from(
        { length: viewerCount },
        (_, n) => () => openViewer(url, onDelivered, viewerAddress(n)),
      ),
      CONNECTS_IN_FLIGHT,
    );
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    log(`fanout: ${viewerCount} viewers connected in ${round(connectSeconds, 1)} s`);
    try {
      await postAtRate(count, PER_SECOND, async (k) => {
        postedAt[k] = performance.now();
        await ctx.client.postEvents([ackEvent(id, k, "delivered")]);
      });
      const deadline = Date.now() + SETTLE_MS;
      while (allAt.size < count && Date.now() < deadline) await sleep(50);
      assertAllOpen(viewers);
    } finally {
      await closeAll(viewers);
    }
    const samples = [...allAt.values()];
    const params = {
      viewers: viewerCount,
      events: count,
      perSecond: PER_SECOND,
      seconds,
      windowMs: BROADCAST_WINDOW_MS,
      connectSeconds: round(connectSeconds, 1),
      notReachingAll: count - samples.length,
    };
    ctx.report.add({
      name: "fanout.p50_all_viewers_ms",
      value: round(percentile(samples, 50)),
      unit: "ms",
      params,
    });
    const p99 = round(percentile(samples, 99));
    ctx.report.add({
      name: "fanout.p99_all_viewers_ms",
      value: p99,
      unit: "ms",
      params,
      target: "< 1000",
      met: p99 < 1_000 && samples.length === count,
    });
  },
};
