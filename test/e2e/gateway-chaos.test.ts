import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runChaos } from "../../scripts/chaos/scenario.ts";

/**
 * The fast version of `npm run chaos`: fewer recipients and a short
 * Worker outage, the same kills.
 */
describe("a gateway that is killed and loses its Worker", () => {
  it("should message nobody twice and end with the counts WhatsApp produced", async () => {
    const report = await runChaos({
      recipients: 80,
      outageMs: 3_000,
      timeScale: 0.01,
      seed: 7,
      deadlineMs: 200_000,
      say: () => {},
    });
    const { comparison } = report;
    expect(report.maxSendsPerRecipient).toBe(1);
    expect(comparison.duplicates).toEqual([]);
    expect(comparison.lost).toEqual([]);
    expect(comparison.queued).toBe(0);
    expect(comparison.gotCounts).toEqual(comparison.expectedCounts);
    expect(report.kills).toEqual({ external: 3, inSendAfter: 1, inSendBefore: 1 });
    expect(comparison.unknown.length).toBeLessThanOrEqual(2);
    expect(report.ok).toBe(true);
    // Kept when a check fails: the gateway's log and data are in there.
    rmSync(report.workDir, { recursive: true, force: true });
  }, 240_000);
});
