import type { TimelinePoint } from "../../domain/snapshot.ts";

const MINUTE_MS = 60_000;
// Slow tiers send a message every 1-2 minutes with breaks of minutes, so
// the pace is measured over half an hour to smooth them out.
const PACE_WINDOW_MS = 30 * MINUTE_MS;

/**
 * Messages sent per ms over the last PACE_WINDOW_MS of the timeline, or
 * null with less than a minute to measure. Each point holds the count at
 * the end of its minute; the newest minute ends at `now` at the latest.
 */
export function sendPace(timeline: TimelinePoint[], now: number): number | null {
  const last = timeline.at(-1);
  if (last === undefined) return null;
  const lastEnd = Math.min(now, last.at + MINUTE_MS);
  const windowStart = lastEnd - PACE_WINDOW_MS;
  const from = timeline.find((p) => p.at + MINUTE_MS >= windowStart);
  if (from === undefined || from === last) return null;
  const elapsed = lastEnd - (from.at + MINUTE_MS);
  if (elapsed < MINUTE_MS) return null;
  return (last.sent - from.sent) / elapsed;
}

/** Ms until `remaining` more are sent at `pace`; null when not moving. */
export function timeLeft(remaining: number, pace: number | null): number | null {
  if (pace === null || pace <= 0 || remaining <= 0) return null;
  return remaining / pace;
}
