import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { SimulatedClient } from "../../gateway/client/simulated.ts";
import { readSimulatedState } from "../../gateway/client/simulated-state.ts";
import { Gateway } from "../../gateway/gateway.ts";
import { createLogger } from "../../gateway/log.ts";
import { TierPacer } from "../../gateway/pacing.ts";
import { sleep } from "../../gateway/sleep.ts";
import { compare, readTruth } from "../../scripts/chaos/truth.ts";
import { demoRecipients } from "../../scripts/demo-campaign.ts";
import type { LocalStack } from "../../scripts/local-stack.ts";
import { OperatorClient } from "../../scripts/operator-client.ts";
import { startTestStack } from "./test-stack.ts";

const RECIPIENTS = 40;
const DISCONNECT_AT_SEND = 12;
const TIME_SCALE = 0.01;

interface CampaignState {
  campaign: { state: string; pausedReason: string | null };
  counts: { sent: number; failed: number };
}

describe("a session lost in the middle of a campaign", () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startTestStack({ LEASE_SECONDS: "5" });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("should pause the campaign, count nothing unsent, and go on once ready", async () => {
    const operator = new OperatorClient(stack);
    const campaign = { name: "disconnect", message: "Hi {{name}}", tier: "fast" };
    const created = { ...campaign, recipients: demoRecipients(RECIPIENTS) };
    const { id } = await operator.createCampaign(created);
    await operator.move(id, "start");
    const dir = mkdtempSync(join(tmpdir(), "ticks-disconnect-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const stateFile = join(dir, "sim.jsonl");
    const client = new SimulatedClient({
      seed: 12,
      timeScale: TIME_SCALE,
      stateFile,
      disconnect: { atSend: DISCONNECT_AT_SEND, forMs: 400_000 },
    });
    const gateway = new Gateway({
      client,
      workerUrl: stack.url,
      gatewayId: "gw-disconnect",
      secret: stack.gatewaySecret,
      pacer: new TierPacer({ timeScale: TIME_SCALE }),
      idlePollMs: 200,
      flushIntervalMs: 50,
      log: createLogger({ level: "silent" }),
    });
    const seen: string[] = [];
    let whilePaused: { reason: string | null; sent: number; failed: number } | undefined;
    const sendsWhilePaused = new Set<number>();
    const sends = () => readSimulatedState(stateFile).filter((r) => r.type === "send").length;
    await gateway.start();
    try {
      for (let poll = 0; poll < 600; poll++) {
        const view = (await operator.getCampaign(id)) as unknown as CampaignState;
        if (seen.at(-1) !== view.campaign.state) seen.push(view.campaign.state);
        if (view.campaign.state === "paused") {
          whilePaused ??= { reason: view.campaign.pausedReason, ...view.counts };
          sendsWhilePaused.add(sends());
        }
        if (view.campaign.state === "completed") break;
        await sleep(100);
      }
      // Reads keep coming after the last send; the check wants them all.
      await sleep(Math.max(0, readTruth(stateFile).settledAt - Date.now()) + 1_500);
    } finally {
      await gateway.stop();
    }
    expect(seen).toEqual(["sending", "paused", "sending", "completed"]);
    expect(whilePaused?.reason).toMatch(/gw-disconnect.*lost its WhatsApp session/);
    expect(whilePaused!.sent + whilePaused!.failed).toBeLessThanOrEqual(DISCONNECT_AT_SEND);
    expect([...sendsWhilePaused]).toEqual([DISCONNECT_AT_SEND]);
    const result = compare(readTruth(stateFile), await operator.statusByPhone(id));
    expect(result.duplicates).toEqual([]);
    expect(result.lost).toEqual([]);
    expect(result.gotCounts).toEqual(result.expectedCounts);
    expect(result.gotCounts.total).toBe(RECIPIENTS);
  }, 120_000);
});
