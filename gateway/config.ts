import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import type { PacingConfig } from "./pacing.ts";

export interface GatewayConfig {
  workerUrl: string;
  gatewayId: string;
  secret: string;
  simulated: boolean;
  timeScale: number;
  seed: number | undefined;
  pacing: PacingConfig;
  sessionDir: string;
  chromiumPath: string;
}

const DEV_VARS = new URL("../.dev.vars", import.meta.url);
const LOCAL_WORKER = "http://127.0.0.1:8787";

export const USAGE = `npm run gateway -- [options]
  --sim                 simulated WhatsApp instead of the real one
  --time-scale <n>      simulated delays times n (0.1 = ten times faster)
  --seed <n>            simulated outcomes from this seed
  --interval-ms <n>     pause between two sends (default 4000)
  --jitter-ms <n>       random extra pause, up to n ms (default 2000)
  --worker-url <url>    default http://127.0.0.1:8787 (env WORKER_URL)
  --gateway-id <id>     default the host name (env GATEWAY_ID)
  --session-dir <dir>   WhatsApp session (default .wwebjs_auth)
env: GATEWAY_SECRET (else read from .dev.vars),
     CHROMIUM_PATH (default /usr/bin/chromium)`;

export function readConfig(argv: string[], env: NodeJS.ProcessEnv): GatewayConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      sim: { type: "boolean", default: false },
      "time-scale": { type: "string", default: "1" },
      seed: { type: "string" },
      "interval-ms": { type: "string", default: "4000" },
      "jitter-ms": { type: "string", default: "2000" },
      "worker-url": { type: "string", default: env.WORKER_URL ?? LOCAL_WORKER },
      "gateway-id": { type: "string", default: env.GATEWAY_ID ?? defaultGatewayId() },
      "session-dir": { type: "string", default: ".wwebjs_auth" },
    },
  });
  return {
    workerUrl: values["worker-url"],
    gatewayId: checkedGatewayId(values["gateway-id"]),
    secret: env.GATEWAY_SECRET ?? secretFromDevVars(),
    simulated: values.sim,
    timeScale: positiveNumber("--time-scale", values["time-scale"]),
    seed: values.seed === undefined ? undefined : positiveNumber("--seed", values.seed),
    pacing: {
      intervalMs: positiveNumber("--interval-ms", values["interval-ms"]),
      jitterMs: positiveNumber("--jitter-ms", values["jitter-ms"]),
    },
    sessionDir: values["session-dir"],
    chromiumPath: env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  };
}

function positiveNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${flag} needs a number of 0 or more, got "${text}"`);
  }
  return value;
}

/** docs/api.md: 1-64 of `A-Za-z0-9._-`. */
function checkedGatewayId(id: string): string {
  if (/^[A-Za-z0-9._-]{1,64}$/.test(id)) return id;
  throw new Error(`--gateway-id must be 1-64 of A-Za-z0-9._- , got "${id}"`);
}

function defaultGatewayId(): string {
  return hostname().replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 64) || "gateway";
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
