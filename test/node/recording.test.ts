import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { Pseudonyms } from "../../gateway/client/pseudonyms.ts";
import { RecordingClient } from "../../gateway/client/recording.ts";
import { SimulatedClient } from "../../gateway/client/simulated.ts";
import { readTraceFile, type Trace } from "../../gateway/client/trace-file.ts";
import { Gateway } from "../../gateway/gateway.ts";
import { FixedPacer } from "../../gateway/pacing.ts";
import { sleep } from "../../gateway/sleep.ts";
import { playThroughGateway } from "../../scripts/replay.ts";
import { silentLog } from "./support/fakes.ts";
import { outcome } from "./support/outcome.ts";
import { CAMPAIGN_ID, startRecordingWorker } from "./support/recording-worker.ts";

const SECRET = "test-gateway-secret";
const RECIPIENTS = 12;

let worker: Awaited<ReturnType<typeof startRecordingWorker>> | undefined;
afterEach(() => worker?.close());

const campaign: Trace = {
  name: "recorded-campaign",
  message: "Hi {{name}}",
  recipients: Array.from({ length: RECIPIENTS }, (_, n) => ({
    phone: `1202${String(n).padStart(7, "0")}`,
  })),
  events: [],
};

/** Sends the campaign through a gateway whose simulated client is recorded. */
async function recordRun(path: string, pseudonyms: Pseudonyms) {
  worker = await startRecordingWorker(campaign, SECRET);
  const simulated = new SimulatedClient({ seed: 21, timeScale: 0.001 });
  const gateway = new Gateway({
    client: new RecordingClient(simulated, path, pseudonyms),
    workerUrl: worker.url,
    gatewayId: "gw-record",
    secret: SECRET,
    pacer: new FixedPacer(30),
    idlePollMs: 50,
    flushIntervalMs: 20,
    log: silentLog,
  });
  await gateway.start();
  await sleep(RECIPIENTS * 60 + 1_500);
  await gateway.stop();
  const result = outcome(campaign, worker.events);
  await worker.close();
  worker = undefined;
  return result;
}

describe("recording what the client saw", () => {
  it("should write a trace that replays to the same outcome, with no real number", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ticks-record-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "trace.json");
    const pseudonyms = new Pseudonyms("test-salt");
    const recorded = await recordRun(path, pseudonyms);
    const text = readFileSync(path, "utf8");
    expect(text).not.toMatch(/1202\d{7}/);
    const trace = await readTraceFile(path);
    worker = await startRecordingWorker(trace, SECRET);
    const target = { url: worker.url, gatewaySecret: SECRET };
    await playThroughGateway(trace, target, CAMPAIGN_ID, silentLog);
    const replayed = outcome(trace, worker.events);
    expect(replayed.counts).toEqual(recorded.counts);
    const byPseudonym = Object.fromEntries(
      Object.entries(recorded.status).map(([phone, status]) => [pseudonyms.phone(phone), status]),
    );
    expect(replayed.status).toEqual(byPseudonym);
    // It plays two real campaigns in real time (~5 s on a quiet machine):
    // the bound is for a busy one, not a timing check.
  }, 30_000);

  it("should give a number the same pseudonym every time, and ids keep their key", () => {
    const pseudonyms = new Pseudonyms("salt");
    expect(pseudonyms.phone("15550001111")).toBe(new Pseudonyms("salt").phone("15550001111"));
    expect(pseudonyms.phone("15550001111")).not.toBe(pseudonyms.phone("15550001112"));
    const id = pseudonyms.messageId("true_15550001111@c.us_3EB0123456789ABCDEF0");
    expect(id).toBe(`true_${pseudonyms.phone("15550001111")}@c.us_3EB0123456789ABCDEF0`);
    const raw = pseudonyms.messageId({
      fromMe: true,
      remote: { server: "lid", user: "123456789012345", _serialized: "123456789012345@lid" },
      id: "3EB0AA",
    });
    expect(JSON.stringify(raw)).not.toContain("123456789012345");
    expect(raw).toMatchObject({ id: "3EB0AA", fromMe: true });
  });
});
