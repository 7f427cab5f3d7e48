import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ClaimedMessage } from "../../domain/events.ts";
import { answerAtOnce, claimed, senderRig } from "./support/sender-rig.ts";

const queueOf = (count: number) => Array.from({ length: count }, (_, n) => claimed(n));

describe("sender", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("records the send in the ledger and reports send_started before sendMessage", async () => {
    const { sink, client, session, sender, ledger } = senderRig({ queue: queueOf(1) });
    let atSend: { events: string[]; inLedger: boolean } | undefined;
    client.onSend = (chatId) => {
      const events = sink.events.map((event) => event.type);
      atSend = { events, inLedger: ledger.find(claimed(0)) !== undefined };
      expect(chatId).toBe("15550000000@c.us");
    };
    session.update("ready");
    void sender.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(atSend).toEqual({ events: ["session", "send_started"], inLedger: true });
    client.sends[0]!.resolve({ id: "true_15550000000@c.us_3EB0AA" });
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.ofType("send_result")).toMatchObject([{ recipient: 0, messageId: "3EB0AA" }]);
    expect(ledger.find(claimed(0))).toMatchObject({ messageKey: "3EB0AA", settledAt: 0 });
    await sender.stop();
  });

  it("shows a typing indicator before each send", async () => {
    const { client, session, sender } = senderRig({ queue: queueOf(2) });
    const sentAt = answerAtOnce(client);
    session.update("ready");
    void sender.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(client.typing.map(({ chatId }) => chatId)).toEqual([
      "15550000000@c.us",
      "15550000001@c.us",
    ]);
    expect(sentAt).toHaveLength(2);
    await sender.stop();
  });

  it("fails a number that is not on WhatsApp without sending to it", async () => {
    const { sink, client, session, sender } = senderRig({ queue: queueOf(2) });
    client.unregistered.add("15550000000@c.us");
    answerAtOnce(client);
    session.update("ready");
    void sender.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(client.sends.map(({ chatId }) => chatId)).toEqual(["15550000001@c.us"]);
    expect(sink.ofType("send_failed")).toMatchObject([{ recipient: 0, reason: "not_on_whatsapp" }]);
    expect(sink.ofType("send_started")).toMatchObject([{ recipient: 1 }]);
    await sender.stop();
  });

  it("never sends again a message the ledger says was handed over", async () => {
    const rig = senderRig({ queue: [claimed(0), claimed(0)] });
    answerAtOnce(rig.client);
    rig.session.update("ready");
    void rig.sender.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(rig.client.sends).toHaveLength(1);
    expect(rig.sink.ofType("send_started")).toHaveLength(2);
    await rig.sender.stop();
  });

  it("puts only ids into events, never the phone or the text", async () => {
    const { sink, client, session, sender } = senderRig({ queue: queueOf(2) });
    client.unregistered.add("15550000000@c.us");
    answerAtOnce(client);
    session.update("ready");
    void sender.start();
    await vi.advanceTimersByTimeAsync(5_000);
    const text = JSON.stringify(sink.events);
    expect(text).not.toMatch(/1555000000|Hi 1|"tier"/);
    await sender.stop();
  });

  it("stops claiming while disconnected and resumes once ready again", async () => {
    const { client, session, sender, claims } = senderRig({ queue: queueOf(3) });
    answerAtOnce(client);
    session.update("ready");
    void sender.start();
    await vi.advanceTimersByTimeAsync(0);
    session.update("disconnected", "NAVIGATION");
    await vi.advanceTimersByTimeAsync(60_000);
    expect([claims(), client.sends.length]).toEqual([1, 1]);
    session.update("ready");
    await vi.advanceTimersByTimeAsync(3_000);
    expect(client.sends.length).toBe(3);
    await sender.stop();
  });

  it("catches up with WhatsApp before claiming, and again after each reconnect", async () => {
    const order: string[] = [];
    const catchUp = async () => void order.push("catch-up");
    const rig = senderRig({ queue: queueOf(3), catchUp, onClaim: () => order.push("claim") });
    answerAtOnce(rig.client);
    rig.session.update("ready");
    void rig.sender.start();
    await vi.advanceTimersByTimeAsync(500);
    rig.session.update("disconnected", "NAVIGATION");
    rig.session.update("ready");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(order.slice(0, 4)).toEqual(["catch-up", "claim", "catch-up", "claim"]);
    await rig.sender.stop();
  });

  it("does not send a message claimed just as the session dropped", async () => {
    const holder: { rig?: ReturnType<typeof senderRig> } = {};
    const onClaim = () => holder.rig?.session.update("disconnected", "CONFLICT");
    const rig = senderRig({ queue: queueOf(2), onClaim });
    holder.rig = rig;
    rig.session.update("ready");
    void rig.sender.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(rig.client.sends).toEqual([]);
    await rig.sender.stop();
  });

  it("reports a rejected send as failed with its reason", async () => {
    const { sink, client, session, sender } = senderRig({ queue: queueOf(1) });
    const refuse = () => client.sends[0]!.reject(new Error("No LID for user"));
    client.onSend = () => queueMicrotask(refuse);
    session.update("ready");
    void sender.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.ofType("send_failed")).toMatchObject([{ reason: "unresolved_contact" }]);
    await sender.stop();
  });

  it("leaves a send pending and unsettled when the session drops under it", async () => {
    const { sink, client, session, sender, ledger } = senderRig({ queue: queueOf(1) });
    session.update("ready");
    void sender.start();
    await vi.advanceTimersByTimeAsync(0);
    session.update("disconnected", "NAVIGATION");
    client.sends[0]!.reject(new Error("Protocol error: Session closed"));
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.events.map((event) => event.type)).toEqual(["session", "send_started", "session"]);
    expect(ledger.unsettled()).toMatchObject([{ recipient: 0 }]);
    await sender.stop();
  });

  it("moves on without a verdict when sendMessage never answers", async () => {
    const { sink, client, session, sender } = senderRig({ queue: queueOf(2) });
    session.update("ready");
    void sender.start();
    await vi.advanceTimersByTimeAsync(30_000 + 1_000);
    expect(client.sends.length).toBe(2);
    expect(sink.ofType("send_failed")).toEqual([]);
    const stopped = sender.stop();
    await vi.advanceTimersByTimeAsync(30_000);
    await stopped;
  });

  it("claims nothing once stopped during the pacing wait", async () => {
    const { client, session, sender, claims } = senderRig({ queue: queueOf(3) });
    answerAtOnce(client);
    session.update("ready");
    void sender.start();
    await vi.advanceTimersByTimeAsync(500);
    const before = claims();
    await sender.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect([claims(), client.sends.length]).toEqual([before, before]);
  });

  it("claims nothing when stopped during the catch-up after a reconnect", async () => {
    const holder: { stopping?: Promise<void> } = {};
    const rig = senderRig({
      queue: queueOf(1),
      catchUp: async () => void (holder.stopping = rig.sender.stop()),
    });
    rig.session.update("ready");
    void rig.sender.start();
    await vi.advanceTimersByTimeAsync(0);
    await holder.stopping;
    expect([rig.claims(), rig.queue.length]).toEqual([0, 1]);
  });

  it("ends a claim in flight when stopped, and sends one that came back anyway", async () => {
    const signals: AbortSignal[] = [];
    const queue = queueOf(2);
    let answer = () => {};
    const claim = (signal: AbortSignal) => {
      signals.push(signal);
      return new Promise<ClaimedMessage[]>((resolve) => {
        answer = () => resolve(queue.splice(0, 1));
      });
    };
    const rig = senderRig({ claim });
    answerAtOnce(rig.client);
    rig.session.update("ready");
    void rig.sender.start();
    await vi.advanceTimersByTimeAsync(0);
    const stopping = rig.sender.stop();
    expect(signals[0]?.aborted).toBe(true);
    answer();
    await vi.advanceTimersByTimeAsync(5_000);
    await stopping;
    expect([signals.length, rig.client.sends.length, queue.length]).toEqual([1, 1, 1]);
  });

  it("asks again after the idle interval when nothing is queued", async () => {
    const { session, sender, claims } = senderRig();
    session.update("ready");
    void sender.start();
    await vi.advanceTimersByTimeAsync(12_000);
    expect(claims()).toBe(3);
    await sender.stop();
  });
});
