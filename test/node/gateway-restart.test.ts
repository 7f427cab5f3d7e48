import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { freePort } from "../../scripts/local-stack.ts";
import { Gateway } from "../../gateway/gateway.ts";
import { GatewayStore } from "../../gateway/store/gateway-store.ts";
import { ManualClient, silentLog } from "./support/fakes.ts";
import { startRecordingWorker } from "./support/recording-worker.ts";

const SECRET = "test-gateway-secret";
const GATEWAY_ID = "gw-restart";

let worker: Awaited<ReturnType<typeof startRecordingWorker>> | undefined;
let dir: string | undefined;
afterEach(async () => {
  await worker?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function gatewayOn(workerUrl: string, dataDir: string): Gateway {
  return new Gateway({
    client: new ManualClient(),
    workerUrl,
    gatewayId: GATEWAY_ID,
    secret: SECRET,
    log: silentLog,
    store: GatewayStore.open(dataDir, GATEWAY_ID),
    retry: { retries: 0 },
    flushIntervalMs: 10,
    drainTimeoutMs: 50,
  });
}

describe("gateway restart", () => {
  it("should post at the next start the events a stop could not hand over", async () => {
    dir = mkdtempSync(join(tmpdir(), "ticks-restart-"));
    // Nothing listens on a port just handed out and released.
    const first = gatewayOn(`http://127.0.0.1:${await freePort()}`, dir);
    await first.start();
    await first.stop();
    worker = await startRecordingWorker(
      { name: "none", message: "", recipients: [], events: [] },
      SECRET,
    );
    const second = gatewayOn(worker.url, dir);
    await second.start();
    const states = () => worker!.events.map((event) => "state" in event && event.state);
    await vi.waitFor(() => expect(states()).toEqual(["starting", "disconnected", "starting"]));
    await second.stop();
  });
});
