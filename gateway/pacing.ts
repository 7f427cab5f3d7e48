/**
 * How long the sender waits between two sends. A fixed rhythm is easy for
 * WhatsApp to spot as automation, so a random jitter is added on top.
 */
export interface PacingConfig {
  intervalMs: number;
  jitterMs: number;
}

export const DEFAULT_PACING: PacingConfig = { intervalMs: 4_000, jitterMs: 2_000 };

/** A pause in [intervalMs, intervalMs + jitterMs). */
export function nextPauseMs(
  pacing: PacingConfig,
  random: () => number = Math.random,
): number {
  return Math.round(pacing.intervalMs + random() * pacing.jitterMs);
}
