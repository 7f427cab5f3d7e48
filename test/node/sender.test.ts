import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ClaimedMessage } from "../../domain/events.ts";
import { AckAdapter } from "../../gateway/ack-adapter.ts";
import { nextPauseMs } from "../../gateway/pacing.ts";
import { Sender } from "../../gateway/sender.ts";
import { SessionTracker } from "../../gateway/session.ts";
import { ManualClient, RecordingSink, silentLog } from "./support/fakes.ts";

function message(recipient: number): ClaimedMessage {
  return {
    campaignId: "c_0123456789abcdef",
    recipient,
    phone: `1555000000${recipient}`,
    text: "Hi",
    leaseExpiresAt: 0,
  };
}

function setup(queued: number, onClaim?: () => void) {
  const sink = new RecordingSink();
  const client = new ManualClient();
  const session = new SessionTracker(sink, silentLog);
  const queue = Array.from({ length: queued }, (_, n) => message(n));
  let claims = 0;
  const sender = new Sender({
    client,
    claim: async () => {
      claims += 1;
      onClaim?.();
      return queue.splice(0, 1);
    },
    acks: new AckAdapter({ sink, log: silentLog }),
    session,
    pacing: { intervalMs: 1_000, jitterMs: 400 },
    idlePollMs: 5_000,
    sendTimeoutMs: 30_000,
    random: () => 0.5,
    log: silentLog,
  });
  return { sink, client, session, sender, claims: () => claims };
}

/** Settles each send as soon as it is made, recording when it was made. */
function answerAtOnce(client: ManualClient): number[] {
  const sentAt: number[] = [];
  client.onSend = () => {
    sentAt.push(Date.now());
    const id = `true_1@c.us_3EB0${sentAt.length}`;
    queueMicrotask(() => client.sends.at(-1)!.resolve({ id }));
  };
  return sentAt;
}

describe("sender", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("pauses the pacing interval plus its jitter between two sends", async () => {
    const { client, session, sender } = setup(3);
    const sentAt = answerAtOnce(client);
    session.update("ready");
    void sender.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sentAt).toEqual([0, 1_200, 2_400]);
    expect(nextPauseMs({ intervalMs: 1_000, jitterMs: 400 }, () => 0.5)).toBe(1_200);
    await sender.stop();
  });

  it("reports send_started before it calls sendMessage, then the result", async () => {
    const { sink, client, session, sender } = setup(1);
    let eventsAtSend: string[] = [];
    client.onSend = (chatId) => {
      eventsAtSend = sink.events.map((event) => event.type);
      expect(chatId).toBe("15550000000@c.us");
    };
    session.update("ready");
    void sender.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(eventsAtSend).toEqual(["session", "send_started"]);
    client.sends[0]!.resolve({ id: "true_15550000000@c.us_3EB0AA" });
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.ofType("send_result")).toMatchObject([{ recipient: 0, messageId: "3EB0AA" }]);
    await sender.stop();
  });

  it("stops claiming while disconnected and resumes once ready again", async () => {
    const { client, session, sender, claims } = setup(3);
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

  it("does not send a message claimed just as the session dropped", async () => {
    let session: SessionTracker | undefined;
    const setupWithDrop = setup(2, () => session?.update("disconnected", "CONFLICT"));
    session = setupWithDrop.session;
    session.update("ready");
    void setupWithDrop.sender.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(setupWithDrop.client.sends).toEqual([]);
    await setupWithDrop.sender.stop();
  });

  it("reports a rejected send as failed with its reason", async () => {
    const { sink, client, session, sender } = setup(1);
    const refuse = () => client.sends[0]!.reject(new Error("No LID for user"));
    client.onSend = () => queueMicrotask(refuse);
    session.update("ready");
    void sender.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.ofType("send_failed")).toMatchObject([{ reason: "unresolved_contact" }]);
    await sender.stop();
  });

  it("leaves a send pending when the session drops under it", async () => {
    const { sink, client, session, sender } = setup(1);
    session.update("ready");
    void sender.start();
    await vi.advanceTimersByTimeAsync(0);
    session.update("disconnected", "NAVIGATION");
    client.sends[0]!.reject(new Error("Protocol error: Session closed"));
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.events.map((event) => event.type)).toEqual([
      "session",
      "send_started",
      "session",
    ]);
    await sender.stop();
  });

  it("moves on without a verdict when sendMessage never answers", async () => {
    const { sink, client, session, sender } = setup(2);
    session.update("ready");
    void sender.start();
    await vi.advanceTimersByTimeAsync(30_000 + 1_200);
    expect(client.sends.length).toBe(2);
    expect(sink.ofType("send_failed")).toEqual([]);
    const stopped = sender.stop();
    await vi.advanceTimersByTimeAsync(30_000);
    await stopped;
  });

  it("asks again after the idle interval when nothing is queued", async () => {
    const { session, sender, claims } = setup(0);
    session.update("ready");
    void sender.start();
    await vi.advanceTimersByTimeAsync(12_000);
    expect(claims()).toBe(3);
    await sender.stop();
  });
});
