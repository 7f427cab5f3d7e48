import { parseArgs } from "node:util";
import { ackToScreenBench } from "./ack-to-screen.ts";
import { BenchClient } from "./client.ts";
import { BROADCAST_WINDOW_MS, type Bench, type BenchContext } from "./context.ts";
import { createBench } from "./create-campaign.ts";
import { fanOutBench } from "./fan-out.ts";
import { ingestBench } from "./ingest.ts";
import { describeMachine } from "./machine.ts";
import { buildPage, pageBench } from "./page-load.ts";
import { log, Report } from "./report.ts";
import { snapshotBench } from "./snapshot-cost.ts";
import { startBenchStack } from "./stack.ts";

/** `npm run bench [-- --quick] [-- --only ingest,fanout]`; see docs/performance.md. */
// Creation runs first, so its memory figure starts from a fresh runtime.
const BENCHES: Bench[] = [
  createBench,
  ingestBench,
  ackToScreenBench,
  snapshotBench,
  fanOutBench,
  pageBench,
];

const USAGE =
  "usage: npm run bench [-- --quick] [-- --only <names>]\n" +
  `  names, comma-separated: ${BENCHES.map((b) => b.name).join(", ")}`;

/** Bad options end in one line and the usage, never a stack trace. */
class UsageError extends Error {}

function selected(only: string[] | undefined): Bench[] {
  if (!only) return BENCHES;
  const names = only.flatMap((o) => o.split(",")).map((n) => n.trim().toLowerCase());
  if (names.some((n) => n === "")) throw new UsageError("--only needs benchmark names");
  const unknown = names.filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length > 0) throw new UsageError(`no benchmark named ${unknown.join(", ")}`);
  return BENCHES.filter((b) => names.includes(b.name));
}

function options(): { quick: boolean; benches: Bench[] } {
  try {
    const { values } = parseArgs({
      options: {
        quick: { type: "boolean", default: false },
        only: { type: "string", multiple: true },
      },
    });
    return { quick: values.quick ?? false, benches: selected(values.only) };
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE")) {
      process.stderr.write(`bench: ${(err as Error).message}\n${USAGE}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** A bench that hangs must not hold the run: it is reported failed. */
function withDeadline(bench: Bench, ctx: BenchContext, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${ms / 1000} s`)), ms);
  });
  return Promise.race([bench.run(ctx), deadline]).finally(() => clearTimeout(timer));
}

async function main(): Promise<void> {
  const { quick, benches } = options();
  const interrupt = new AbortController();
  const report = new Report();
  const cleanups: Array<() => Promise<void> | void> = [];
  const cleanUp = async () => {
    for (const undo of cleanups.splice(0).reverse()) await undo();
  };
  const onSignal = () => {
    log("interrupted: stopping the stack");
    report.closed = true;
    interrupt.abort();
    // Requests still in flight fail as the stack stops; that must not end
    // the process before the cleanup has.
    process.on("unhandledRejection", () => {});
    void cleanUp().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const machine = describeMachine();
  process.stdout.write(`${JSON.stringify({ name: "machine", ...machine, quick })}\n`);
  try {
    // Built before the stack, which serves it; Ctrl-C here stops vite too.
    const pageBuild = benches.includes(pageBench) ? buildPage() : undefined;
    if (pageBuild) cleanups.push(() => pageBuild.remove());
    const stack = await startBenchStack({
      vars: { BENCH_ROUTES: "1", BROADCAST_WINDOW_MS: String(BROADCAST_WINDOW_MS) },
      assetsDir: pageBuild?.dir,
      onCleanup: (undo) => cleanups.push(undo),
    });
    const ctx = { client: new BenchClient(stack), stack, report, quick, pageBuild };
    await runAll(benches, ctx, interrupt.signal);
  } catch (err) {
    // Ctrl-C also kills the tools run synchronously (vite, migrations):
    // their failure arrives before the signal's handler has run.
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (!interrupt.signal.aborted) throw err;
  } finally {
    if (!interrupt.signal.aborted) await cleanUp();
  }
  // The signal handler finishes the cleanup and exits with 130.
  if (interrupt.signal.aborted) return;
  const load = describeMachine().load1;
  process.stdout.write(`\n${report.table()}\n`);
  process.stdout.write(`\n${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, `);
  process.stdout.write(`load ${machine.load1} at start, ${load} at end, ${machine.date}\n`);
  // Targets are never asserted; a bench that gave no figure at all is.
  if (report.failures.length > 0) process.exitCode = 1;
}

async function runAll(benches: Bench[], ctx: BenchContext, signal: AbortSignal): Promise<void> {
  const deadlineMs = ctx.quick ? 60_000 : 600_000;
  for (const bench of benches) {
    if (signal.aborted) return;
    log(`${bench.name}…`);
    const started = performance.now();
    try {
      await withDeadline(bench, ctx, deadlineMs);
    } catch (err) {
      if (signal.aborted) return;
      ctx.report.fail(bench.name, err);
      log(`wrangler's last words:\n${ctx.stack.stderrTail().slice(-2_000)}`);
    }
    log(`${bench.name} took ${Math.round((performance.now() - started) / 1000)} s`);
  }
}

await main();
