import { readdirSync } from "node:fs";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { statusOfEvent, type GatewayEvent } from "../../domain/events.ts";
import { funnelFromStatusCounts } from "../../domain/funnel.ts";
import { applyStatus, emptyStatusCounts, type Status } from "../../domain/status.ts";
import { readTraceFile, type Trace } from "../../gateway/client/trace-file.ts";
import { playThroughGateway } from "../../scripts/replay.ts";
import { CAMPAIGN_ID, startRecordingWorker } from "./support/recording-worker.ts";

const CASES = new URL("../../../shared/cases/", import.meta.url).pathname;
const SECRET = "test-gateway-secret";
const caseFiles = readdirSync(CASES).filter((file) => file.endsWith(".json")).sort();

let worker: Awaited<ReturnType<typeof startRecordingWorker>> | undefined;
afterEach(() => worker?.close());

/** What the Worker would make of the events: each recipient's highest status. */
function outcome(trace: Trace, events: GatewayEvent[]) {
  const statuses = trace.recipients.map((): Status => "queued");
  for (const event of events) {
    if (event.type === "session") continue;
    statuses[event.recipient] = applyStatus(statuses[event.recipient]!, statusOfEvent(event));
  }
  const counts = emptyStatusCounts();
  for (const status of statuses) counts[status] += 1;
  const status = Object.fromEntries(trace.recipients.map(({ phone }, n) => [phone, statuses[n]]));
  return { counts: funnelFromStatusCounts(counts), status };
}

describe("the gateway replaying each shared case", () => {
  it.each(caseFiles)("should report what %s expects", async (file) => {
    const trace = await readTraceFile(CASES + file);
    worker = await startRecordingWorker(trace, SECRET);
    const target = { url: worker.url, gatewaySecret: SECRET };
    await playThroughGateway(trace, target, CAMPAIGN_ID, pino({ level: "silent" }));
    expect(outcome(trace, worker.events)).toEqual(trace.expect);
  });

  it("should tell the Worker about every session change", async () => {
    const trace = await readTraceFile(`${CASES}session-lost-mid-campaign.json`);
    worker = await startRecordingWorker(trace, SECRET);
    const target = { url: worker.url, gatewaySecret: SECRET };
    await playThroughGateway(trace, target, CAMPAIGN_ID, pino({ level: "silent" }));
    const sessions = worker.events.flatMap((e) => (e.type === "session" ? [e.state] : []));
    expect(sessions).toEqual(["starting", "ready", "disconnected"]);
  });
});
