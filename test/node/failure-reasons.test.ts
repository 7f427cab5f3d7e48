import { describe, expect, it } from "vitest";
import { FAILURE_REASONS, type FailureReason } from "../../domain/failure.ts";
import { AckAdapter } from "../../gateway/ack-adapter.ts";
import { RecordingSink, silentLog } from "./support/fakes.ts";

const ref = { campaignId: "c_0123456789abcdef", recipient: 1 };

/** Error texts seen from `sendMessage`, and the reason each must give. */
const REJECTIONS: Array<[string, FailureReason]> = [
  ["No LID for user", "unresolved_contact"],
  ["Error: No LID for user 15550001111@c.us", "unresolved_contact"],
  ["Evaluation failed: Error: wid error: invalid wid", "not_on_whatsapp"],
  ["The number is not registered on WhatsApp", "not_on_whatsapp"],
  ["Rate limit exceeded", "rate_limited"],
  ["429 Too Many Requests", "rate_limited"],
  ["rate-overlimit", "rate_limited"],
  ["Evaluation failed: TypeError: Cannot read properties of undefined", "send_error"],
  ["", "send_error"],
];

function adapter() {
  const sink = new RecordingSink();
  return { sink, acks: new AckAdapter({ sink, log: silentLog }) };
}

describe("failure reasons", () => {
  it.each(REJECTIONS)("should file the rejection %j as %s with its text", (text, reason) => {
    const { sink, acks } = adapter();
    acks.sendRejected(ref, new Error(text));
    const [failed] = sink.ofType("send_failed");
    expect(failed?.reason).toBe(reason);
    expect(failed?.detail).toBe(text || "Error");
  });

  it("should fail a number the check says is not on WhatsApp", () => {
    const { sink, acks } = adapter();
    acks.notOnWhatsApp(ref);
    expect(sink.ofType("send_failed")).toMatchObject([
      { ...ref, reason: "not_on_whatsapp", detail: expect.stringContaining("isRegisteredUser") },
    ]);
  });

  it("should report an error ack (-1) as failed, which the Worker files as rejected", () => {
    const { sink, acks } = adapter();
    acks.sendResolved(ref, { id: "true_15550001111@c.us_3EB0AA", ack: 0 });
    acks.handleAck({ id: "true_15550001111@c.us_3EB0AA" }, -1);
    expect(sink.ofType("ack")).toMatchObject([{ ...ref, status: "failed" }]);
  });

  it("should keep the raw error text, cut to the event's limit", () => {
    const { sink, acks } = adapter();
    acks.sendRejected(ref, new Error(`rate limit ${"x".repeat(600)}`));
    expect(sink.ofType("send_failed")[0]?.detail).toHaveLength(500);
  });

  it("should cover the whole vocabulary", () => {
    const produced = new Set<FailureReason>(REJECTIONS.map(([, reason]) => reason));
    produced.add("rejected");
    expect([...produced].sort()).toEqual([...FAILURE_REASONS].sort());
  });
});
