import { ackEvent } from "./events.ts";
import { BROADCAST_WINDOW_MS, type Bench } from "./context.ts";
import { percentile, round, sleep } from "./stats.ts";
import { assertAllOpen, closeAll, liveUrl, openViewer, postAtRate } from "./viewers.ts";

const PER_SECOND = 20;
const SETTLE_MS = 3_000;

/**
 * Figure 2: one viewer; single acks posted at 20 per second, each moving
 * one more recipient to delivered. Event k is on screen when a payload
 * shows more than k delivered; its time runs from the start of its post.
 * Posts land in order at this rate, so the count names the event.
 */
export const ackToScreenBench: Bench = {
  name: "ack-to-screen",
  async run(ctx) {
    const seconds = ctx.quick ? 10 : 30;
    const count = seconds * PER_SECOND;
    const { id, token } = await ctx.client.createCampaign("bench ack", count + 10);
    await ctx.client.start(id);
    const postedAt: number[] = [];
    const answerMs: number[] = [];
    const shownMs = new Map<number, number>();
    const viewer = await openViewer(liveUrl(ctx.stack.url, id, token), (v, d, now) => {
      for (let k = v.delivered; k < d; k++) {
        if (postedAt[k] !== undefined) shownMs.set(k, now - postedAt[k]!);
      }
    });
    await postAtRate(count, PER_SECOND, async (k) => {
      postedAt[k] = performance.now();
      await ctx.client.postEvents([ackEvent(id, k, "delivered")]);
      answerMs.push(performance.now() - postedAt[k]!);
    });
    const deadline = Date.now() + SETTLE_MS;
    while (shownMs.size < count && Date.now() < deadline) await sleep(50);
    assertAllOpen([viewer]);
    await closeAll([viewer]);
    const samples = [...shownMs.values()];
    const params = {
      events: count,
      perSecond: PER_SECOND,
      seconds,
      windowMs: BROADCAST_WINDOW_MS,
      neverShown: count - samples.length,
      postAnswerP50Ms: round(percentile(answerMs, 50)),
      postAnswerP99Ms: round(percentile(answerMs, 99)),
    };
    const target = BROADCAST_WINDOW_MS + 150;
    for (const p of [50, 95, 99]) {
      const value = round(percentile(samples, p));
      ctx.report.add({
        name: `ack_to_screen.p${p}_ms`,
        value,
        unit: "ms",
        params,
        ...(p === 99 ? { target: `< ${target}`, met: value < target } : {}),
      });
    }
  },
};
