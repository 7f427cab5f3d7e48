import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { answerAtOnce, claimed, senderRig } from "./support/sender-rig.ts";

const ELEVEN_PM = new Date(2026, 2, 10, 23, 0, 0).getTime();

describe("daily cap", () => {
  beforeEach(() => vi.useFakeTimers({ now: ELEVEN_PM }));
  afterEach(() => vi.useRealTimers());

  it("should stop sending at the cap and go on after local midnight", async () => {
    const queue = Array.from({ length: 4 }, (_, n) => claimed(n));
    const rig = senderRig({ queue, dailyCap: 2 });
    const sentAt = answerAtOnce(rig.client);
    rig.session.update("ready");
    void rig.sender.start();
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(sentAt).toHaveLength(2);
    expect(rig.claims()).toBe(2);
    await vi.advanceTimersByTimeAsync(40 * 60_000);
    expect(sentAt).toHaveLength(4);
    expect(new Date(sentAt[2]!).getDate()).toBe(11);
    await rig.sender.stop();
  });

  it("should tell the Worker once why it stopped, keeping the session ready", async () => {
    const rig = senderRig({ queue: [claimed(0), claimed(1)], dailyCap: 1 });
    answerAtOnce(rig.client);
    rig.session.update("ready");
    void rig.sender.start();
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    const notes = rig.sink.ofType("session").filter((event) => event.reason);
    expect(notes).toEqual([
      { type: "session", state: "ready", reason: expect.stringMatching(/daily cap of 1/) },
    ]);
    await rig.sender.stop();
  });

  it("should count sends of earlier runs, kept in the ledger", async () => {
    const rig = senderRig({ queue: [claimed(5)], dailyCap: 2 });
    rig.ledger.start(claimed(0), "15550000000@c.us", "Hi");
    rig.ledger.start(claimed(1), "15550000001@c.us", "Hi");
    const sentAt = answerAtOnce(rig.client);
    rig.session.update("ready");
    void rig.sender.start();
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(sentAt).toEqual([]);
    await rig.sender.stop();
  });
});
