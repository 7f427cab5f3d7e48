/** Nearest-rank percentile, p in 0-100; NaN for no samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(samples: number[]): number {
  return percentile(samples, 50);
}

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs every task with at most `limit` in flight; resolves in input order. */
export async function inPool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/**
 * A ratio judged against a target is printed rounded toward failing it,
 * so a printed value and its verdict never disagree (0.4996 is not "0.500
 * MISSED" but "0.499 MISSED").
 */
export function roundAgainst(value: number, digits: number, target: "at least" | "at most") {
  const scale = 10 ** digits;
  const scaled = value * scale;
  return (target === "at least" ? Math.floor(scaled) : Math.ceil(scaled)) / scale;
}
