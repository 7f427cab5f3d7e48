import { describe, expect, it } from "vitest";
import { AckAdapter, statusForAck } from "../../gateway/ack-adapter.ts";
import { EarlyAckBuffer } from "../../gateway/early-ack-buffer.ts";
import { ManualClient, RecordingSink, silentLog } from "./support/fakes.ts";

const ref = { campaignId: "c_0123456789abcdef", recipient: 4 };
const KEY = "3EB0A1B2C3D4E5F60718";
const OWN = `true_15550001111@c.us_${KEY}`;

function setup(earlyAcks?: EarlyAckBuffer) {
  const sink = new RecordingSink();
  const adapter = new AckAdapter({ sink, log: silentLog, earlyAcks });
  const client = new ManualClient();
  adapter.attach(client);
  return { sink, adapter, client };
}

describe("ack adapter", () => {
  it("maps every whatsapp-web.js ack value onto a Ticks status", () => {
    const mapped = [-1, 0, 1, 2, 3, 4].map(statusForAck);
    expect(mapped).toEqual(["failed", "pending", "sent", "delivered", "read", "played"]);
    expect(statusForAck(5)).toBeNull();
  });

  it("reports an ack of a sent campaign message with its recipient", () => {
    const { sink, adapter, client } = setup();
    adapter.sendResolved(ref, { id: OWN });
    client.emit("message_ack", { id: OWN }, 2);
    expect(sink.ofType("ack")).toEqual([
      { type: "ack", ...ref, messageId: KEY, status: "delivered" },
    ]);
  });

  it("reports the send result with the hex key, or null without a message", () => {
    const { sink, adapter } = setup();
    adapter.sendResolved(ref, { id: OWN });
    adapter.sendResolved({ ...ref, recipient: 5 }, null);
    expect(sink.ofType("send_result").map((event) => event.messageId)).toEqual([KEY, null]);
  });

  it("applies acks that arrived before sendMessage resolved once it has", () => {
    const { sink, adapter, client } = setup();
    client.emit("message_ack", { id: OWN }, 1);
    client.emit("message_ack", { id: OWN }, 2);
    expect(sink.events).toEqual([]);
    adapter.sendResolved(ref, { id: OWN });
    expect(sink.ofType("ack").map((event) => event.status)).toEqual(["delivered"]);
  });

  it("ignores acks of messages that are not campaign messages", () => {
    const { sink, adapter, client } = setup();
    adapter.sendResolved(ref, { id: OWN });
    client.emit("message_ack", { id: "false_15550001111@c.us_3EB0FFFFFFFFFFFFFFFF" }, 3);
    client.emit("message_ack", { id: "true_15559999999@c.us_3EB0EEEEEEEEEEEEEEEE" }, 3);
    client.emit("message_ack", { id: "not an id" }, 3);
    expect(sink.ofType("ack")).toEqual([]);
  });

  it("ignores an ack from someone else even when its hex id matches ours", () => {
    const { sink, adapter, client } = setup();
    adapter.sendResolved(ref, { id: OWN });
    client.emit("message_ack", { id: `false_15550001111@c.us_${KEY}` }, 3);
    expect(sink.ofType("ack")).toEqual([]);
  });

  it("reports a repeated or lower ack only once, as the highest status", () => {
    const { sink, adapter, client } = setup();
    adapter.sendResolved(ref, { id: OWN });
    for (const ack of [3, 2, 2, 1, 3, 0]) client.emit("message_ack", { id: OWN }, ack);
    expect(sink.ofType("ack").map((event) => event.status)).toEqual(["read"]);
  });

  it("reports an error ack as a failed status", () => {
    const { sink, adapter, client } = setup();
    adapter.sendResolved(ref, { id: OWN });
    client.emit("message_ack", { id: OWN }, 0);
    client.emit("message_ack", { id: OWN }, -1);
    expect(sink.ofType("ack").map((event) => event.status)).toEqual(["failed"]);
  });

  it("turns a sendMessage rejection into a failure reason with its text", () => {
    const { sink, adapter } = setup();
    adapter.sendRejected(ref, new Error("No LID for user"));
    adapter.sendRejected(ref, new Error("Evaluation failed: wid error: invalid wid"));
    adapter.sendRejected(ref, new Error("something else"));
    expect(sink.ofType("send_failed").map(({ reason, detail }) => [reason, detail])).toEqual([
      ["unresolved_contact", "No LID for user"],
      ["not_on_whatsapp", "Evaluation failed: wid error: invalid wid"],
      ["send_error", "something else"],
    ]);
  });

  it("forgets early acks of unknown messages after their expiry", () => {
    let now = 0;
    const buffer = new EarlyAckBuffer({ ttlMs: 1_000, now: () => now });
    const { sink, adapter, client } = setup(buffer);
    client.emit("message_ack", { id: OWN }, 2);
    now = 1_001;
    adapter.sendResolved(ref, { id: OWN });
    expect(sink.ofType("ack")).toEqual([]);
    expect(buffer.size).toBe(0);
  });

  it("holds early acks of at most the configured number of messages", () => {
    const buffer = new EarlyAckBuffer({ maxMessages: 3 });
    const { client } = setup(buffer);
    for (let n = 0; n < 10; n++) {
      client.emit("message_ack", { id: `true_1555@c.us_3EB0${n}` }, 1);
    }
    expect(buffer.size).toBe(3);
    expect(buffer.take("3EB09")).toBe("sent");
    expect(buffer.take("3EB00")).toBeUndefined();
  });
});
