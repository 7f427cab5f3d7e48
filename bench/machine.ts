import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";

export interface Machine {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  /** 1-minute load average when the run started: others share the machine */
  load1: number;
  node: string;
  /** the commit measured, with "+" when files were changed on top of it */
  commit: string;
}

function commit(): string {
  try {
    const git = (args: string[]) => execFileSync("git", args, { encoding: "utf8" }).trim();
    const dirty = git(["status", "--porcelain", "--untracked-files=no"]) !== "";
    return `${git(["rev-parse", "--short", "HEAD"])}${dirty ? "+" : ""}`;
  } catch {
    // Not a git checkout (an unpacked release): the figures stand alone.
    return "unknown";
  }
}

function cpuModel(): string {
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    return info.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? cpus()[0]?.model ?? "?";
  } catch {
    // Not Linux: Node's own name for the CPU will do.
    return cpus()[0]?.model ?? "?";
  }
}

export function describeMachine(): Machine {
  return {
    date: new Date().toISOString(),
    cpus: cpus().length,
    cpuModel: cpuModel(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    load1: Math.round(loadavg()[0]! * 100) / 100,
    node: process.version,
    commit: commit(),
  };
}
