import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..", "..");

export interface GatewayProcessOptions {
  workerUrl: string;
  gatewaySecret: string;
  gatewayId: string;
  dataDir: string;
  /** flags of the simulated client, `--sim` included */
  simFlags: string[];
  /** appended with the gateway's JSON log lines */
  logFile: string;
}

/**
 * A simulated gateway in a process of its own, so that SIGKILL is real:
 * nothing in it gets to clean up. Node runs it directly (no tsx wrapper
 * process) so the signal reaches the gateway itself.
 */
export class GatewayProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<NodeJS.Signals | number | null> | undefined;

  constructor(private readonly options: GatewayProcessOptions) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && !this.child.killed;
  }

  start(extraFlags: string[] = []): void {
    const { workerUrl, gatewayId, dataDir, simFlags, logFile } = this.options;
    const args = ["--import", "tsx", "gateway/main.ts", "--worker-url", workerUrl];
    args.push("--gateway-id", gatewayId, "--data-dir", dataDir, "--daily-cap", "100000");
    const child = spawn(process.execPath, [...args, ...simFlags, ...extraFlags], {
      cwd: ROOT,
      env: { ...process.env, GATEWAY_SECRET: this.options.gatewaySecret },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const log = createWriteStream(logFile, { flags: "a" });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    this.exited = new Promise((done) => child.once("exit", (code, signal) => done(signal ?? code)));
    this.child = child;
  }

  /** SIGKILL: the gateway stops between any two instructions. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child!.kill("SIGKILL");
    await this.exited;
  }

  /** SIGTERM: the gateway hands over its events and exits. */
  async stop(): Promise<NodeJS.Signals | number | null> {
    if (this.running) this.child!.kill("SIGTERM");
    return (await this.exited) ?? null;
  }

  /** How the process ended, once it has: a code or a signal name. */
  whenExited(): Promise<NodeJS.Signals | number | null> {
    return this.exited ?? Promise.resolve(null);
  }
}
