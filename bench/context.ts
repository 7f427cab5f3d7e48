import type { BenchClient } from "./client.ts";
import type { Report } from "./report.ts";
import type { BenchStack } from "./stack.ts";

export interface PageBuild {
  dir: string;
  remove(): void;
}

/** The window the bench's Worker runs with; figure 2's target adds 150 ms. */
export const BROADCAST_WINDOW_MS = 250;

export interface BenchContext {
  client: BenchClient;
  stack: BenchStack;
  report: Report;
  /** the small version of every figure, for CI */
  quick: boolean;
  /** a page build made for this run, when the page figure is wanted */
  pageBuild?: PageBuild;
}

export interface Bench {
  name: string;
  run(ctx: BenchContext): Promise<void>;
}
