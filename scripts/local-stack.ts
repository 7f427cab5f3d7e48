import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { ensureDevVars } from "./dev-vars.ts";

const ROOT = resolve(import.meta.dirname, "..");
const WRANGLER = resolve(ROOT, "node_modules", ".bin", "wrangler");
const STARTUP_TIMEOUT_MS = 90_000;

export interface LocalStack {
  url: string;
  operatorToken: string;
  gatewaySecret: string;
  /** wrangler's pid when this call started it, to find its workerd children */
  pid?: number;
  /** Stops the Worker if this call started it; otherwise does nothing. */
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  port?: number;
  /** where local D1 and Durable Object data live (wrangler's --persist-to) */
  persistTo?: string;
  quiet?: boolean;
  /** extra `--var NAME:value` pairs for the Worker */
  vars?: Record<string, string>;
  /** false skips the migrations: a restart on data already migrated */
  migrate?: boolean;
}

function log(quiet: boolean | undefined, message: string): void {
  if (!quiet) process.stderr.write(`[ticks] ${message}\n`);
}

export async function isWorkerUp(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/health`, {
      signal: AbortSignal.timeout(2_000),
    });
    const body = res.ok ? ((await res.json()) as { service?: string }) : null;
    return body?.service === "ticks";
  } catch {
    // Nothing listening yet, or something that is not a Ticks Worker.
    return false;
  }
}

function run(args: string[], what: string, quiet?: boolean): void {
  log(quiet, what);
  const result = spawnSync(args[0]!, args.slice(1), {
    cwd: ROOT,
    stdio: quiet ? "pipe" : ["ignore", process.stderr, process.stderr],
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
    throw new Error(`${what} failed (exit ${result.status})\n${output}`);
  }
}

export function buildPageIfMissing(quiet?: boolean): void {
  if (existsSync(resolve(ROOT, "dist", "index.html"))) return;
  run([resolve(ROOT, "node_modules", ".bin", "vite"), "build"], "building the page", quiet);
}

export function applyLocalMigrations(persistTo?: string, quiet?: boolean): void {
  const persist = persistTo ? ["--persist-to", persistTo] : [];
  run(
    [WRANGLER, "d1", "migrations", "apply", "ticks", "--local", ...persist],
    "applying D1 migrations locally",
    quiet,
  );
}

/**
 * Makes sure a Ticks Worker answers on the port: reuses one that already
 * runs there, otherwise builds the page if needed, applies the migrations
 * and starts `wrangler dev`.
 */
export async function ensureLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const port = options.port ?? 8787;
  const url = `http://127.0.0.1:${port}`;
  const secrets = ensureDevVars();
  const stack = {
    url,
    operatorToken: secrets.OPERATOR_TOKEN,
    gatewaySecret: secrets.GATEWAY_SECRET,
  };
  if (await isWorkerUp(url)) {
    log(options.quiet, `using the Worker already running at ${url}`);
    return { ...stack, stop: async () => {} };
  }
  buildPageIfMissing(options.quiet);
  if (options.migrate !== false) applyLocalMigrations(options.persistTo, options.quiet);
  const child = startWranglerDev(port, options);
  await waitUntilUp(url, child);
  log(options.quiet, `Worker running at ${url}`);
  return { ...stack, pid: child.pid, stop: () => stopChild(child) };
}

/** A port nothing listens on right now, from the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" ? address!.port : 0));
    });
  });
}

function startWranglerDev(port: number, options: LocalStackOptions) {
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port)];
  args.push("--show-interactive-dev-session=false", "--log-level", "warn");
  if (options.persistTo) args.push("--persist-to", options.persistTo);
  for (const [name, value] of Object.entries(options.vars ?? {})) {
    args.push("--var", `${name}:${value}`);
  }
  log(options.quiet, `starting wrangler dev on port ${port}`);
  return spawn(WRANGLER, args, {
    cwd: ROOT,
    stdio: ["ignore", options.quiet ? "ignore" : process.stderr, "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    detached: true,
  });
}

async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`wrangler dev exited (${child.exitCode}):\n${stderr}`);
    }
    if (await isWorkerUp(url)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  await stopChild(child);
  throw new Error(`wrangler dev did not answer at ${url} in time:\n${stderr}`);
}

/** wrangler runs workerd as a grandchild: the whole group must go. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const group = -child.pid;
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    signalGroup(group, "SIGTERM");
    const timeout = setTimeout(() => signalGroup(group, "SIGKILL"), 5_000);
    await exited;
    clearTimeout(timeout);
  }
  // workerd may outlive wrangler by a moment; the caller's next look at
  // the process table (or the next run's ports) must not find it.
  for (let waited = 0; groupAlive(group); waited += 100) {
    if (waited >= 5_000) signalGroup(group, "SIGKILL");
    if (waited >= 6_000) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(group, signal);
  } catch {
    // The group is already gone.
  }
}

function groupAlive(group: number): boolean {
  try {
    process.kill(group, 0);
    return true;
  } catch {
    return false;
  }
}
