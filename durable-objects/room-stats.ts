import type { LatencyPercentiles, TimelinePoint } from "../domain/snapshot.ts";

export type Percentiles = LatencyPercentiles;
export type { TimelinePoint };

/**
 * Pure helpers for the statistics a campaign object keeps beside its
 * counters. Latencies go into log-spaced buckets, so the median and the
 * 90th percentile come from a few hundred rows at most, whatever the size
 * of the campaign, within 5% of the exact value.
 */
const BUCKET_GROWTH = 1.05;
const LOG_GROWTH = Math.log(BUCKET_GROWTH);

export type LatencyKind = "deliver" | "read";

export function latencyBucket(ms: number): number {
  return ms < 1 ? 0 : Math.floor(Math.log(ms) / LOG_GROWTH) + 1;
}

/** The middle of a bucket, in ms: what a percentile falling in it reports. */
function bucketValue(bucket: number): number {
  if (bucket === 0) return 0;
  const low = Math.exp((bucket - 1) * LOG_GROWTH);
  return Math.round(low * Math.sqrt(BUCKET_GROWTH));
}

export function percentiles(buckets: Array<{ bucket: number; n: number }>): Percentiles {
  const sorted = [...buckets].sort((a, b) => a.bucket - b.bucket);
  const total = sorted.reduce((sum, b) => sum + b.n, 0);
  const at = (q: number) => {
    if (total === 0) return null;
    let seen = 0;
    for (const { bucket, n } of sorted) {
      seen += n;
      if (seen >= q * total) return bucketValue(bucket);
    }
    return bucketValue(sorted.at(-1)!.bucket);
  };
  return { p50: at(0.5), p90: at(0.9) };
}

export const TIMELINE_BUCKET_MS = 60_000;
export const MAX_TIMELINE_POINTS = 500;

/** Keeps the first and last points and an even spread between them. */
export function downsample(points: TimelinePoint[], max = MAX_TIMELINE_POINTS): TimelinePoint[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]!);
}
