import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ensureDevVars } from "../scripts/dev-vars.ts";
import { freePort, isWorkerUp, stopChild } from "../scripts/local-stack.ts";
import { descendants, isWorkerd } from "./processes.ts";

const ROOT = resolve(import.meta.dirname, "..");
const STARTUP_TIMEOUT_MS = 90_000;
/** What the Worker is built from; copied so the run's code is fixed. */
const WORKER_SOURCES = [
  "wrangler.toml",
  "package.json",
  "tsconfig.json",
  "tsconfig.base.json",
  ".dev.vars",
  "worker",
  "durable-objects",
  "domain",
  "migrations",
];

export interface BenchStack {
  url: string;
  operatorToken: string;
  gatewaySecret: string;
  /** the workerd processes serving this stack, for memory samples */
  workerdPids(): number[];
  /** the end of wrangler's stderr, to explain a failure */
  stderrTail(): string;
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  vars: Record<string, string>;
  /** a page build to serve instead of dist/ */
  assetsDir?: string;
  /**
   * Told of each thing to undo as soon as it exists (the copy, then the
   * running wrangler), so Ctrl-C while the stack boots can undo them.
   */
  onCleanup?: (undo: () => Promise<void> | void) => void;
}

/**
 * `wrangler dev` reloads the Worker whenever a source file changes, which
 * drops every socket and request in flight; others edit this repo while
 * a bench runs. So the Worker runs from a copy of its sources taken at
 * the start, with node_modules linked.
 */
function copySources(): string {
  const dir = mkdtempSync(join(tmpdir(), "ticks-bench-"));
  for (const name of WORKER_SOURCES) {
    const from = join(ROOT, name);
    if (existsSync(from)) cpSync(from, join(dir, name), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}

/** Asynchronous, so Ctrl-C is handled while it runs (a sync child blocks it). */
async function wrangler(dir: string, args: string[]): Promise<void> {
  const child = spawn(join(dir, "node_modules", ".bin", "wrangler"), args, {
    cwd: dir,
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const code = await new Promise<number | null>((r) => child.once("close", r));
  if (code !== 0) throw new Error(`wrangler ${args.join(" ")} failed:\n${output}`);
}

/**
 * The bench's own `wrangler dev`: a free port, fresh data, frozen sources,
 * and the child's pid kept so the workerd it runs can be sampled.
 */
export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const secrets = ensureDevVars();
  const dir = copySources();
  options.onCleanup?.(() => rmSync(dir, { recursive: true, force: true }));
  const persistTo = join(dir, "state");
  const assets = options.assetsDir ?? join(ROOT, "dist");
  await wrangler(dir, ["d1", "migrations", "apply", "ticks", "--local", "--persist-to", persistTo]);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawnWrangler(dir, port, persistTo, assets, options.vars);
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-8_000);
  });
  const stop = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  // wrangler has its own process group: Ctrl-C reaches it only through this.
  options.onCleanup?.(stop);
  try {
    await waitUntilUp(url, child);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  return {
    url,
    operatorToken: secrets.OPERATOR_TOKEN,
    gatewaySecret: secrets.GATEWAY_SECRET,
    workerdPids: () => descendants(child.pid!).filter(isWorkerd),
    stderrTail: () => stderr,
    stop,
  };
}

function spawnWrangler(
  dir: string,
  port: number,
  persistTo: string,
  assets: string,
  vars: Record<string, string>,
): ChildProcess {
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port)];
  args.push("--show-interactive-dev-session=false", "--log-level", "warn");
  args.push("--persist-to", persistTo, "--assets", assets);
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  return spawn(join(dir, "node_modules", ".bin", "wrangler"), args, {
    cwd: dir,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    // Its own process group, so stopChild takes workerd down with it.
    detached: true,
  });
}

async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode})`);
    if (await isWorkerUp(url)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not answer at ${url} in time`);
}
