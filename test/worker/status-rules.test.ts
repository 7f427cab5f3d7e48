import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { GatewayEvent } from "../../domain/events.ts";
import { applyStatus, STATUSES, type Status } from "../../domain/status.ts";
import {
  createCampaign,
  sendingCampaign,
  ev,
  postEvents,
  snapshotOf,
  startCampaign,
} from "./helpers.ts";
import { env } from "cloudflare:test";

type Step =
  | { kind: "started" }
  | { kind: "result" }
  | { kind: "ack"; status: Exclude<Status, "queued"> }
  | { kind: "error" };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.constant({ kind: "started" } as const),
  fc.constant({ kind: "result" } as const),
  fc.constant({ kind: "error" } as const),
  fc
    .constantFrom("pending", "sent", "delivered", "read", "played", "failed")
    .map((status) => ({ kind: "ack", status }) as const),
);

function toEvent(step: Step, campaignId: string, recipient: number): GatewayEvent {
  switch (step.kind) {
    case "started":
      return ev({ type: "send_started", campaignId, recipient });
    case "result":
      return ev({ type: "send_result", campaignId, recipient, messageId: "3EB0FF" });
    case "ack":
      return ev({ type: "ack", campaignId, recipient, messageId: "3EB0FF", status: step.status });
    case "error":
      return ev({ type: "send_failed", campaignId, recipient, reason: "send_error", detail: "x" });
  }
}

function statusOfStep(step: Step): Status {
  if (step.kind === "ack") return step.status;
  return step.kind === "error" ? "failed" : "pending";
}

describe("the status rules", () => {
  it("should end in the same status for every order and repetition (pure)", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 12 }), fc.nat(), (steps, seed) => {
        const expected = steps.map(statusOfStep).reduce(applyStatus, "queued" as Status);
        const shuffled = fc.sample(
          fc.shuffledSubarray([...steps, ...steps], {
            minLength: steps.length * 2,
          }),
          { seed, numRuns: 1 },
        )[0]!;
        expect(shuffled.map(statusOfStep).reduce(applyStatus, "queued" as Status)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("should never let an error fail a delivered message, and lift a failure on delivery", () => {
    expect(applyStatus("delivered", "failed")).toBe("delivered");
    expect(applyStatus("read", "failed")).toBe("read");
    expect(applyStatus("failed", "delivered")).toBe("delivered");
    expect(applyStatus("sent", "failed")).toBe("failed");
    expect(applyStatus("read", "sent")).toBe("read");
    expect(STATUSES.indexOf("failed")).toBeLessThan(STATUSES.indexOf("delivered"));
  });

  it("should end in the same status through the Worker, D1 and the object", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 3 }),
        fc.nat(),
        async (steps, copies, seed) => {
          const { id } = await sendingCampaign(2);
          await startCampaign(id);
          const events = steps.flatMap((s) =>
            Array.from({ length: copies }, () => toEvent(s, id, 0)),
          );
          const order = fc.sample(fc.shuffledSubarray(events, { minLength: events.length }), {
            seed,
            numRuns: 1,
          })[0]!;
          // Split into batches so that the order also spans requests.
          for (let i = 0; i < order.length; i += 3) {
            expect((await postEvents(order.slice(i, i + 3))).status).toBe(200);
          }
          const expected = steps.map(statusOfStep).reduce(applyStatus, "queued" as Status);
          const row = await env.DB.prepare(
            "SELECT status FROM recipients WHERE campaign_id = ? AND idx = 0",
          )
            .bind(id)
            .first<{ status: string }>();
          expect(row!.status).toBe(expected);
          const counts = (await snapshotOf(id)).counts;
          expect(counts.total).toBe(2);
          expect(counts.failed).toBe(expected === "failed" ? 1 : 0);
        },
      ),
      { numRuns: 40 },
    );
    // 40 campaigns through the whole path: 5 s was too tight on a busy run.
  }, 60_000);
});
