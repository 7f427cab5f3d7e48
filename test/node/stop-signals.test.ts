import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { REPEAT_WINDOW_MS, stopOnSignal } from "../../gateway/stop-signals.ts";
import { silentLog } from "./support/fakes.ts";

/** A handler whose stop resolves when the test says so. */
function rig() {
  const exits: number[] = [];
  let finishStop = () => {};
  const stop = vi.fn(() => new Promise<void>((resolve) => (finishStop = resolve)));
  const onSignal = stopOnSignal({ stop, exit: (code) => exits.push(code), log: silentLog });
  return { exits, stop, onSignal, finishStop: () => finishStop() };
}

describe("stop signals", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("should stop gracefully on one Ctrl-C delivered twice", async () => {
    const { exits, stop, onSignal, finishStop } = rig();
    onSignal("SIGINT");
    await vi.advanceTimersByTimeAsync(20);
    onSignal("SIGINT");
    expect([stop.mock.calls.length, exits]).toEqual([1, []]);
    finishStop();
    await vi.advanceTimersByTimeAsync(0);
    expect(exits).toEqual([0]);
  });

  it("should exit at once on a second signal after the repeat window", async () => {
    const { exits, stop, onSignal } = rig();
    onSignal("SIGINT");
    await vi.advanceTimersByTimeAsync(REPEAT_WINDOW_MS + 1);
    onSignal("SIGINT");
    expect([stop.mock.calls.length, exits]).toEqual([1, [1]]);
  });

  it("should exit non-zero when stopping fails", async () => {
    const exits: number[] = [];
    const stop = () => Promise.reject(new Error("disk full"));
    const onSignal = stopOnSignal({ stop, exit: (code) => exits.push(code), log: silentLog });
    onSignal("SIGTERM");
    await vi.advanceTimersByTimeAsync(0);
    expect(exits).toEqual([1]);
  });
});
