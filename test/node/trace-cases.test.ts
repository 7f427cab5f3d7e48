import { readdirSync } from "node:fs";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { readTraceFile } from "../../gateway/client/trace-file.ts";
import { playThroughGateway } from "../../scripts/replay.ts";
import { outcome } from "./support/outcome.ts";
import { CAMPAIGN_ID, startRecordingWorker } from "./support/recording-worker.ts";

const CASES = new URL("../../../shared/cases/", import.meta.url).pathname;
const SECRET = "test-gateway-secret";
const caseFiles = readdirSync(CASES)
  .filter((file) => file.endsWith(".json"))
  .sort();

let worker: Awaited<ReturnType<typeof startRecordingWorker>> | undefined;
afterEach(() => worker?.close());

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
