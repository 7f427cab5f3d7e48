import { readFileSync } from "node:fs";

export interface Memory {
  /** resident set now, MiB */
  rssMiB: number;
  /** the kernel's high-water mark of the resident set since start, MiB */
  hwmMiB: number;
}

export function memoryOf(pid: number): Memory | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (field: string) =>
      Number(status.match(new RegExp(`^${field}:\\s*(\\d+) kB`, "m"))?.[1] ?? 0);
    return { rssMiB: kib("VmRSS") / 1024, hwmMiB: kib("VmHWM") / 1024 };
  } catch {
    // The process is gone; nothing to sample.
    return null;
  }
}

/** The sum over processes of their resident sets, sampled until stopped. */
export class RssSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pids: () => number[],
    everyMs = 100,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  now(): number {
    return this.pids().reduce((sum, pid) => sum + (memoryOf(pid)?.rssMiB ?? 0), 0);
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }

  private sample(): void {
    this.peak = Math.max(this.peak, this.now());
  }
}
