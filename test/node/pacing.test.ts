import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  PACING_JITTER,
  SPEED_TIER_NAMES,
  SPEED_TIERS,
  type SpeedTierName,
} from "../../domain/speed-tiers.ts";
import { TierPacer } from "../../gateway/pacing.ts";
import { answerAtOnce, claimed, senderRig } from "./support/sender-rig.ts";

const midInterval = (tier: SpeedTierName) => {
  const { min, max } = SPEED_TIERS[tier].intervalSeconds;
  return ((min + max) / 2) * 1000;
};

/** Gaps between the sends of `count` messages of one tier, on a fake clock. */
async function sendGaps(tier: SpeedTierName, count: number, random = () => 0.5) {
  const queue = Array.from({ length: count }, (_, n) => claimed(n, tier));
  const rig = senderRig({ queue, pacer: new TierPacer({ random }) });
  const sentAt = answerAtOnce(rig.client);
  rig.session.update("ready");
  void rig.sender.start();
  await vi.advanceTimersByTimeAsync(count * 400_000);
  await rig.sender.stop();
  return sentAt.slice(1).map((at, n) => at - sentAt[n]!);
}

describe("pacing by speed tier", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it.each(SPEED_TIER_NAMES)(
    "should space %s sends by its interval and break after each batch",
    async (tier) => {
      const { batchSize, breakSeconds } = SPEED_TIERS[tier];
      const gaps = await sendGaps(tier, batchSize * 2 + 1);
      const interval = midInterval(tier);
      const batch = [...Array<number>(batchSize - 1).fill(interval), breakSeconds * 1000];
      expect(gaps).toEqual([...batch, ...batch]);
    },
  );

  it.each(SPEED_TIER_NAMES)("should keep %s waits within the jitter bounds", (tier) => {
    const { intervalSeconds, breakSeconds, batchSize } = SPEED_TIERS[tier];
    const slowest = new TierPacer({ random: () => 0.999_999 });
    const fastest = new TierPacer({ random: () => 0 });
    const low = 1 - PACING_JITTER;
    const high = 1 + PACING_JITTER;
    expect(fastest.afterSend("c", tier)).toBe(intervalSeconds.min * 1000 * low);
    expect(slowest.afterSend("c", tier)).toBeCloseTo(intervalSeconds.max * 1000 * high, -1);
    const pacer = new TierPacer();
    const waits = Array.from({ length: batchSize * 20 }, () => pacer.afterSend("c", tier));
    const breaks = waits.filter((_, n) => n % batchSize === batchSize - 1);
    const intervals = waits.filter((_, n) => n % batchSize !== batchSize - 1);
    expect(Math.min(...intervals)).toBeGreaterThanOrEqual(intervalSeconds.min * 1000 * low);
    expect(Math.max(...intervals)).toBeLessThanOrEqual(intervalSeconds.max * 1000 * high);
    expect(Math.min(...breaks)).toBeGreaterThanOrEqual(breakSeconds * 1000 * low);
    expect(Math.max(...breaks)).toBeLessThanOrEqual(breakSeconds * 1000 * high);
  });

  it("should count batches per campaign", () => {
    const pacer = new TierPacer({ random: () => 0.5 });
    const { batchSize, breakSeconds } = SPEED_TIERS.fast;
    const waits: number[] = [];
    for (let n = 0; n < batchSize; n++) {
      waits.push(pacer.afterSend("c_a", "fast"), pacer.afterSend("c_b", "fast"));
    }
    expect(waits.filter((wait) => wait === breakSeconds * 1000)).toHaveLength(2);
    expect(waits.slice(-2)).toEqual([breakSeconds * 1000, breakSeconds * 1000]);
  });

  it("should pace each message by its own campaign's tier", async () => {
    const queue = [claimed(0, "fast"), claimed(1, "careful"), claimed(2, "fast")];
    const rig = senderRig({ queue, pacer: new TierPacer({ random: () => 0.5 }) });
    const sentAt = answerAtOnce(rig.client);
    rig.session.update("ready");
    void rig.sender.start();
    await vi.advanceTimersByTimeAsync(600_000);
    await rig.sender.stop();
    expect([sentAt[1]! - sentAt[0]!, sentAt[2]! - sentAt[1]!]).toEqual([
      midInterval("fast"),
      midInterval("careful"),
    ]);
  });

  it("should show typing for 2 to 6 seconds, jittered", () => {
    const pacer = new TierPacer();
    const typing = Array.from({ length: 500 }, () => pacer.typingMs());
    expect(Math.min(...typing)).toBeGreaterThanOrEqual(2_000 * (1 - PACING_JITTER));
    expect(Math.max(...typing)).toBeLessThanOrEqual(6_000 * (1 + PACING_JITTER));
  });

  it("should scale every wait by the time scale", () => {
    const real = new TierPacer({ random: () => 0.5 });
    const fast = new TierPacer({ random: () => 0.5, timeScale: 0.01 });
    expect(fast.afterSend("c", "careful")).toBe(real.afterSend("c", "careful") / 100);
    expect(fast.typingMs()).toBe(real.typingMs() / 100);
  });

  it("should wait out a break after a restart before the first send", async () => {
    const rig = senderRig({ queue: [claimed(1)], pacer: new TierPacer({ random: () => 0.5 }) });
    rig.ledger.start(claimed(0), "15550000000@c.us", "Hi 0");
    const sentAt = answerAtOnce(rig.client);
    rig.session.update("ready");
    void rig.sender.start();
    await vi.advanceTimersByTimeAsync(600_000);
    await rig.sender.stop();
    expect(sentAt).toEqual([SPEED_TIERS.careful.breakSeconds * 1000]);
  });
});
