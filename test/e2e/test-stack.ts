import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureLocalStack, freePort, type LocalStack } from "../../scripts/local-stack.ts";

/**
 * A real `wrangler dev` of its own for a test file: a free port and a fresh
 * data folder, so tests never touch the demo's data or each other's.
 */
export async function startTestStack(vars: Record<string, string> = {}): Promise<LocalStack> {
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
