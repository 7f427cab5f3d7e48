/**
 * How fast a campaign is sent. WhatsApp bans numbers that message like
 * machines, so every tier sends one message at a time with a random gap,
 * in batches separated by a longer break; both vary by ±25%. The slowest
 * tier is the default: an operator must choose to go faster.
 */
export interface SpeedTier {
  /** seconds between two messages, before jitter */
  intervalSeconds: { min: number; max: number };
  /** messages sent before a break */
  batchSize: number;
  /** seconds of the break after each batch, before jitter */
  breakSeconds: number;
}

export const SPEED_TIERS = {
  careful: { intervalSeconds: { min: 90, max: 120 }, batchSize: 10, breakSeconds: 300 },
  steady: { intervalSeconds: { min: 60, max: 90 }, batchSize: 15, breakSeconds: 240 },
  normal: { intervalSeconds: { min: 40, max: 60 }, batchSize: 20, breakSeconds: 180 },
  brisk: { intervalSeconds: { min: 20, max: 40 }, batchSize: 30, breakSeconds: 120 },
  fast: { intervalSeconds: { min: 10, max: 20 }, batchSize: 40, breakSeconds: 90 },
} as const satisfies Record<string, SpeedTier>;

export type SpeedTierName = keyof typeof SPEED_TIERS;
export const SPEED_TIER_NAMES = Object.keys(SPEED_TIERS) as SpeedTierName[];
export const DEFAULT_SPEED_TIER: SpeedTierName = "careful";

/** Every interval and break is scaled by a factor in [1 - JITTER, 1 + JITTER]. */
export const PACING_JITTER = 0.25;
