import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AckAdapter } from "../../gateway/ack-adapter.ts";
import { ManualClient, RecordingSink, silentLog } from "./support/fakes.ts";

const SHARED = new URL("../../../shared/", import.meta.url);
const ref = { campaignId: "c_0123456789abcdef", recipient: 0 };
const KEY = "3EB0A1B2C3D4E5F60718";
const PHONE_CHAT = "15550001111@c.us";
const LID_CHAT = "100000000000001@lid";
const GROUP = "120363000000000001@g.us";

function readShared(path: string): unknown {
  return JSON.parse(readFileSync(new URL(path, SHARED), "utf8"));
}

/** Sends one message with the phone-form id, then acks it with `ackId`. */
function statusAfterAck(sentKey: string, ackId: unknown): string | undefined {
  const sink = new RecordingSink();
  const adapter = new AckAdapter({ sink, log: silentLog });
  const client = new ManualClient();
  adapter.attach(client);
  adapter.sendResolved(ref, { id: `true_15550001111@c.us_${sentKey}` });
  client.emit("message_ack", { id: ackId }, 3);
  return sink.ofType("ack")[0]?.status;
}

const lidContact = { server: "lid", user: "100000000000001", _serialized: LID_CHAT };
const phoneContact = { server: "c.us", user: "15550001111", _serialized: PHONE_CHAT };

const ownMessageShapes: Array<[string, unknown]> = [
  ["a serialized string", `true_${PHONE_CHAT}_${KEY}`],
  ["a serialized string naming the @lid", `true_${LID_CHAT}_${KEY}`],
  ["a string with lower-case hex", `true_${PHONE_CHAT}_${KEY.toLowerCase()}`],
  [
    "an id object",
    { fromMe: true, remote: PHONE_CHAT, id: KEY, _serialized: `true_${PHONE_CHAT}_${KEY}` },
  ],
  ["an id object without _serialized", { fromMe: true, remote: PHONE_CHAT, id: KEY }],
  [
    "an id object whose serialized key was renamed",
    { remote: PHONE_CHAT, serialized: `true_${PHONE_CHAT}_${KEY}` },
  ],
  ["an id object whose remote is an object", { fromMe: true, remote: phoneContact, id: KEY }],
  ["a group id string with a participant suffix", `true_${GROUP}_${KEY}_${PHONE_CHAT}`],
  ["a group id string with an @lid participant", `true_${GROUP}_${KEY}_${LID_CHAT}`],
  [
    "a group id object with a participant object",
    { fromMe: true, remote: GROUP, id: KEY, participant: lidContact },
  ],
];

describe("matching acks to campaign messages by their hex id", () => {
  it.each(ownMessageShapes)("should match an ack whose id is %s", (_, ackId) => {
    expect(statusAfterAck(KEY, ackId)).toBe("read");
  });

  it("should match the published direct-message id object", () => {
    const direct = readShared("reference/message-id-direct.json") as { id: string };
    expect(statusAfterAck(direct.id, direct)).toBe("read");
  });

  it("should match our own group message and ignore someone else's", () => {
    const [own, foreign] = readShared("reference/message-id-group.json") as Array<{ id: string }>;
    expect(statusAfterAck(own!.id, own)).toBe("read");
    expect(statusAfterAck(foreign!.id, foreign)).toBeUndefined();
  });

  it("should match every ack id in the shared cases to its recipient's send", () => {
    const cases = readdirSync(SHARED.pathname + "cases").filter((f) => f.endsWith(".json"));
    const pairs = cases.flatMap((file) => ackIdsWithSentId(readShared(`cases/${file}`)));
    expect(pairs.length).toBeGreaterThan(10);
    for (const [sentId, ackId] of pairs) {
      const sentKey = String(sentId).split("_")[2]!;
      expect(statusAfterAck(sentKey, ackId), JSON.stringify(ackId)).toBe("read");
    }
  });
});

interface CaseEvent {
  to?: string;
  type: string;
  id?: unknown;
}

function ackIdsWithSentId(trace: unknown): Array<[unknown, unknown]> {
  const events = (trace as { events: CaseEvent[] }).events;
  const sentIdOf = (to?: string) => events.find((e) => e.to === to && e.type === "send_result")?.id;
  return events
    .filter((event) => event.type === "message_ack" && sentIdOf(event.to))
    .map((event) => [sentIdOf(event.to), event.id]);
}
