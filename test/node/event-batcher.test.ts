import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { GatewayEvent } from "../../domain/events.ts";
import { EventBatcher } from "../../gateway/event-batcher.ts";
import { WorkerRequestError } from "../../gateway/worker-request-error.ts";
import { silentLog } from "./support/fakes.ts";

const ref = { campaignId: "c_0123456789abcdef", recipient: 1 };

function batcher(post: (events: GatewayEvent[]) => Promise<void>, maxBatchSize = 3) {
  const batches: GatewayEvent[][] = [];
  const instance = new EventBatcher({
    gatewayId: "gw-1",
    maxBatchSize,
    flushIntervalMs: 200,
    retryPauseMs: 1_000,
    log: silentLog,
    post: async (events) => {
      await post(events);
      batches.push(events);
      return { applied: events.length, ignored: 0 };
    },
  });
  return { instance, batches };
}

const accept = async () => {};

describe("event batcher", () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_700_000_000_000 }));
  afterEach(() => vi.useRealTimers());

  it("posts as soon as a batch is full", async () => {
    const { instance, batches } = batcher(accept);
    for (let n = 0; n < 3; n++) instance.push({ type: "send_started", ...ref, recipient: n });
    await vi.advanceTimersByTimeAsync(0);
    expect(batches.map((batch) => batch.length)).toEqual([3]);
  });

  it("posts a partial batch once the flush interval has passed", async () => {
    const { instance, batches } = batcher(accept);
    instance.push({ type: "send_started", ...ref });
    await vi.advanceTimersByTimeAsync(199);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches.map((batch) => batch.length)).toEqual([1]);
  });

  it("keeps events in order and gives each a unique id and its time", async () => {
    const { instance, batches } = batcher(accept, 100);
    for (let n = 0; n < 5; n++) {
      instance.push({ type: "send_started", ...ref, recipient: n });
      vi.advanceTimersByTime(10);
    }
    await instance.drain();
    const events = batches.flat();
    expect(events.map((event) => "recipient" in event && event.recipient)).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(events.map((event) => event.id)).size).toBe(5);
    expect(events.every((event) => event.id.startsWith("gw-1-"))).toBe(true);
    expect(events.map((event) => event.at - 1_700_000_000_000)).toEqual([0, 10, 20, 30, 40]);
  });

  it("resolves drain only once the Worker has taken every event", async () => {
    let release = () => {};
    const slowPost = () => new Promise<void>((resolve) => (release = resolve));
    const { instance, batches } = batcher(slowPost);
    instance.push({ type: "send_started", ...ref });
    let drained = false;
    void instance.drain().then(() => (drained = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(drained).toBe(false);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect([drained, batches.length]).toEqual([true, 1]);
  });

  it("keeps a batch the Worker could not take and posts it again later", async () => {
    let failures = 1;
    const flaky = async () => {
      if (failures-- > 0) throw new WorkerRequestError("down", 503, null);
    };
    const { instance, batches } = batcher(flaky);
    instance.push({ type: "send_started", ...ref });
    await vi.advanceTimersByTimeAsync(200);
    expect(instance.pending).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect([instance.pending, batches.length]).toEqual([0, 1]);
  });

  it("drops a batch the Worker refuses as invalid so later events still go", async () => {
    let refusals = 1;
    const strict = async () => {
      if (refusals-- > 0) throw new WorkerRequestError("unknown recipient", 422, null);
    };
    const { instance, batches } = batcher(strict, 1);
    instance.push({ type: "send_started", ...ref, recipient: 1 });
    instance.push({ type: "send_started", ...ref, recipient: 2 });
    await instance.drain();
    expect(batches.flat().map((event) => "recipient" in event && event.recipient)).toEqual([2]);
  });
});
