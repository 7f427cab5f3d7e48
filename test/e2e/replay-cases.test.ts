import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTraceFile } from "../../gateway/client/trace-file.ts";
import { createLogger } from "../../gateway/log.ts";
import type { LocalStack } from "../../scripts/local-stack.ts";
import { replayTrace } from "../../scripts/replay.ts";
import { startTestStack } from "./test-stack.ts";

const CASES_DIR = resolve(import.meta.dirname, "..", "..", "..", "shared", "cases");
const caseFiles = readdirSync(CASES_DIR)
  .filter((f) => f.endsWith(".json"))
  .sort();

/** What a viewer's WebSocket shows once it has caught up. */
async function liveCounts(link: string): Promise<Record<string, number>> {
  const url = new URL(link);
  const id = url.pathname.split("/").at(-1);
  const socketUrl = `ws://${url.host}/api/campaigns/${id}/live${url.search}`;
  const socket = new WebSocket(socketUrl);
  try {
    const message = await new Promise<MessageEvent>((resolve, reject) => {
      socket.onmessage = resolve;
      socket.onerror = () => reject(new Error(`socket error on ${socketUrl}`));
      socket.onclose = (e) => reject(new Error(`closed ${e.code} ${e.reason}`));
    });
    return JSON.parse(String(message.data)).counts;
  } finally {
    socket.close();
  }
}

describe("every shared case through the real pipeline", () => {
  let stack: LocalStack;
  const quiet = createLogger({ level: "silent" });

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("should find the shared cases", () => {
    expect(caseFiles.length).toBeGreaterThan(0);
  });

  it.each(caseFiles)("should replay %s to its expect", async (file) => {
    const trace = await readTraceFile(join(CASES_DIR, file));
    const outcome = await replayTrace(trace, stack, quiet);
    expect({ counts: outcome.counts, status: outcome.status }).toEqual(trace.expect);
    expect(await liveCounts(outcome.link)).toEqual(trace.expect!.counts);
  });
});
