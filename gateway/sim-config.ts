/**
 * The flags of the simulated client. They exist for demos and chaos
 * checks, and each is refused without `--sim`: above all `--time-scale`,
 * since a real number paced faster than a human gets banned.
 */
export interface SimulationConfig {
  timeScale: number;
  seed: number | undefined;
  stateFile: string | undefined;
  unregisteredShare: number;
  disconnect: { atSend: number; forMs: number } | undefined;
  crashInSend: { atSend: number; when: "before" | "after" } | undefined;
}

export const SIMULATION_OPTIONS = {
  sim: { type: "boolean", default: false },
  "time-scale": { type: "string" },
  seed: { type: "string" },
  "sim-state": { type: "string" },
  "sim-unregistered": { type: "string" },
  "sim-disconnect": { type: "string" },
  "sim-crash": { type: "string" },
} as const;

type SimulationFlags = {
  sim?: boolean;
} & Partial<Record<Exclude<keyof typeof SIMULATION_OPTIONS, "sim">, string>>;

export function parseSimulationFlags(flags: SimulationFlags): SimulationConfig | undefined {
  if (!flags.sim) {
    refuseWithoutSim(flags);
    return undefined;
  }
  return {
    timeScale: share("--time-scale", flags["time-scale"] ?? "1", 1),
    seed: flags.seed === undefined ? undefined : seedOf(flags.seed),
    stateFile: flags["sim-state"],
    unregisteredShare: share("--sim-unregistered", flags["sim-unregistered"] ?? "0.01", 1),
    disconnect: parseDisconnect(flags["sim-disconnect"]),
    crashInSend: parseCrash(flags["sim-crash"]),
  };
}

function refuseWithoutSim(flags: SimulationFlags): void {
  if (flags["time-scale"] !== undefined) {
    throw new Error(
      "--time-scale works only with --sim: a real WhatsApp number is always " +
        "paced in real time, because faster sending gets numbers banned",
    );
  }
  const simOnly = ["seed", "sim-state", "sim-unregistered", "sim-disconnect", "sim-crash"];
  for (const name of simOnly) {
    if (flags[name as keyof SimulationFlags] !== undefined) {
      throw new Error(`--${name} works only with --sim`);
    }
  }
}

function share(flag: string, text: string, max: number): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new Error(`${flag} needs a number from 0 to ${max}, got "${text}"`);
  }
  return value;
}

function seedOf(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  throw new Error(`--seed needs a whole number, got "${text}"`);
}

function parseDisconnect(text: string | undefined): SimulationConfig["disconnect"] {
  if (text === undefined) return undefined;
  const match = /^(\d+):(\d+)$/.exec(text);
  if (!match) throw new Error(`--sim-disconnect needs <nth send>:<ms>, got "${text}"`);
  return { atSend: Number(match[1]), forMs: Number(match[2]) };
}

function parseCrash(text: string | undefined): SimulationConfig["crashInSend"] {
  if (text === undefined) return undefined;
  const match = /^(\d+):(before|after)$/.exec(text);
  if (!match) throw new Error(`--sim-crash needs <nth send>:<before|after>, got "${text}"`);
  return { atSend: Number(match[1]), when: match[2] as "before" | "after" };
}
