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
import { startBenchStack, type BenchStack } from "./stack.ts";

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

function selected(only: string | undefined): Bench[] {
  if (!only) return BENCHES;
  const names = only.split(",").map((n) => n.trim());
  const unknown = names.filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length > 0) {
    const known = BENCHES.map((b) => b.name).join(", ");
    throw new Error(`no benchmark ${unknown.join(", ")}; pick from ${known}`);
  }
  return BENCHES.filter((b) => names.includes(b.name));
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
  const { values } = parseArgs({
    options: { quick: { type: "boolean", default: false }, only: { type: "string" } },
  });
  const quick = values.quick ?? false;
  const benches = selected(values.only);
  const machine = describeMachine();
  process.stdout.write(`${JSON.stringify({ name: "machine", ...machine, quick })}\n`);
  const pageBuild = benches.includes(pageBench) ? buildPage() : undefined;
  const stack = await startBenchStack({
    vars: { BENCH_ROUTES: "1", BROADCAST_WINDOW_MS: String(BROADCAST_WINDOW_MS) },
    assetsDir: pageBuild?.dir,
  });
  const stopOnSignal = () => void stack.stop().finally(() => process.exit(130));
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  const report = new Report();
  try {
    await runAll(benches, { client: new BenchClient(stack), stack, report, quick, pageBuild });
  } finally {
    await stack.stop();
    pageBuild?.remove();
  }
  const load = describeMachine().load1;
  process.stdout.write(`\n${report.table()}\n`);
  process.stdout.write(`\n${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, `);
  process.stdout.write(`load ${machine.load1} at start, ${load} at end, ${machine.date}\n`);
}

async function runAll(benches: Bench[], ctx: BenchContext): Promise<void> {
  const deadlineMs = ctx.quick ? 60_000 : 600_000;
  for (const bench of benches) {
    log(`${bench.name}…`);
    const started = performance.now();
    try {
      await withDeadline(bench, ctx, deadlineMs);
    } catch (err) {
      ctx.report.fail(bench.name, err);
      log(`wrangler's last words:\n${ctx.stack.stderrTail().slice(-2_000)}`);
    }
    log(`${bench.name} took ${Math.round((performance.now() - started) / 1000)} s`);
  }
}

await main();
