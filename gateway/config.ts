import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { parseSimulationFlags, SIMULATION_OPTIONS, type SimulationConfig } from "./sim-config.ts";

export interface GatewayConfig {
  workerUrl: string;
  gatewayId: string;
  secret: string;
  /** present only with `--sim`: the simulated client's settings */
  simulation: SimulationConfig | undefined;
  /** where the gateway's SQLite file lives */
  dataDir: string;
  dailyCap: number;
  /** where to write a trace of what the client saw, if anywhere */
  recordTo: string | undefined;
  sessionDir: string;
  chromiumPath: string;
}

const DEV_VARS = new URL("../.dev.vars", import.meta.url);
const LOCAL_WORKER = "http://127.0.0.1:8787";
/** Well under what operators report for new numbers; raise it with care. */
export const DEFAULT_DAILY_CAP = 200;

export const USAGE = `npm run gateway -- [options]
  --worker-url <url>    default http://127.0.0.1:8787 (env WORKER_URL)
  --gateway-id <id>     default the host name (env GATEWAY_ID)
  --data-dir <dir>      outbox, ledger and counts (default .ticks/gateway)
  --daily-cap <n>       sends per local day at most (default ${DEFAULT_DAILY_CAP})
  --record <file>       write what WhatsApp did as a trace (docs/gateway.md)
  --session-dir <dir>   WhatsApp session (default .wwebjs_auth)
simulated WhatsApp (never a real number):
  --sim                 simulated WhatsApp instead of the real one
  --time-scale <n>      every delay and pause times n (0.1 = ten times faster)
  --seed <n>            simulated outcomes from this seed
  --sim-state <file>    keep what was sent across restarts
  --sim-unregistered <share>  numbers not on WhatsApp (default 0.01)
  --sim-disconnect <n>:<ms>   lose the session at the nth send for ms
  --sim-crash <n>:<before|after>  SIGKILL itself in the nth send
env: GATEWAY_SECRET (else read from .dev.vars),
     CHROMIUM_PATH (default /usr/bin/chromium)`;

export function readConfig(argv: string[], env: NodeJS.ProcessEnv): GatewayConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...SIMULATION_OPTIONS,
      "worker-url": { type: "string", default: env.WORKER_URL ?? LOCAL_WORKER },
      "gateway-id": { type: "string", default: env.GATEWAY_ID ?? defaultGatewayId() },
      "data-dir": { type: "string", default: ".ticks/gateway" },
      "daily-cap": { type: "string", default: String(DEFAULT_DAILY_CAP) },
      record: { type: "string" },
      "session-dir": { type: "string", default: ".wwebjs_auth" },
    },
  });
  return {
    workerUrl: values["worker-url"],
    gatewayId: checkedGatewayId(values["gateway-id"]),
    secret: env.GATEWAY_SECRET ?? secretFromDevVars(),
    simulation: parseSimulationFlags(values),
    dataDir: values["data-dir"],
    dailyCap: wholeNumber("--daily-cap", values["daily-cap"], 1),
    recordTo: values.record,
    sessionDir: values["session-dir"],
    chromiumPath: env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  };
}

export function wholeNumber(flag: string, text: string, min = 0): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${flag} needs a whole number of ${min} or more, got "${text}"`);
  }
  return value;
}

/** docs/api.md: 1-64 of `A-Za-z0-9._-`. */
function checkedGatewayId(id: string): string {
  if (/^[A-Za-z0-9._-]{1,64}$/.test(id)) return id;
  throw new Error(`--gateway-id must be 1-64 of A-Za-z0-9._- , got "${id}"`);
}

function defaultGatewayId(): string {
  return (
    hostname()
      .replace(/[^A-Za-z0-9._-]/g, "-")
      .slice(0, 64) || "gateway"
  );
}

/** wrangler's `.dev.vars` holds `NAME=value` lines, values maybe quoted. */
export function readDevVar(text: string, name: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match?.[1] === name) return match[2]!.replace(/^(["'])(.*)\1$/, "$2");
  }
  return undefined;
}

function secretFromDevVars(): string {
  let text: string;
  try {
    text = readFileSync(DEV_VARS, "utf8");
  } catch (cause) {
    const hint = "set GATEWAY_SECRET, or run the local stack to write .dev.vars";
    throw new Error(hint, { cause });
  }
  const secret = readDevVar(text, "GATEWAY_SECRET");
  if (secret) return secret;
  throw new Error(".dev.vars has no GATEWAY_SECRET line; set GATEWAY_SECRET instead");
}
