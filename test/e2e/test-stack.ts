import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureLocalStack, type LocalStack } from "../../scripts/local-stack.ts";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" ? address!.port : 0));
    });
  });
}

/**
 * A real `wrangler dev` of its own for a test file: a free port and a fresh
 * data folder, so tests never touch the demo's data or each other's.
 */
export async function startTestStack(
  vars: Record<string, string> = {},
): Promise<LocalStack> {
  const persistTo = mkdtempSync(join(tmpdir(), "ticks-e2e-"));
  const stack = await ensureLocalStack({
    port: await freePort(),
    persistTo,
    quiet: true,
    vars,
  });
  return {
    ...stack,
    stop: async () => {
      await stack.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}
