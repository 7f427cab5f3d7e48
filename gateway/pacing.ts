import {
  DEFAULT_SPEED_TIER,
  PACING_JITTER,
  SPEED_TIERS,
  type SpeedTierName,
} from "../domain/speed-tiers.ts";

/**
 * How long the sender waits, like a careful human would: a random gap
 * between two messages, a longer break after each batch, a typing
 * indicator before each send. A fixed rhythm is easy for WhatsApp to spot
 * as automation, so every wait is jittered by ±PACING_JITTER.
 */
export interface Pacer {
  /** The wait from this send to the next one, counting this send. */
  afterSend(campaignId: string, tier: SpeedTierName): number;
  /** The wait after a message that was not sent (a number not on WhatsApp). */
  afterSkip(tier: SpeedTierName): number;
  /** The first wait after a restart, measured from the last send. */
  afterRestart(): number;
  /** How long the typing indicator shows before a send. */
  typingMs(): number;
}

/** Typing a short message by hand takes a few seconds. */
const TYPING_SECONDS = { min: 2, max: 6 };

export interface TierPacerOptions {
  /** Only for simulated clients: 0.01 paces a hundred times faster. */
  timeScale?: number;
  random?: () => number;
}

export class TierPacer implements Pacer {
  private readonly sentInBatch = new Map<string, number>();
  private readonly timeScale: number;
  private readonly random: () => number;

  constructor(options: TierPacerOptions = {}) {
    this.timeScale = options.timeScale ?? 1;
    this.random = options.random ?? Math.random;
  }

  /** Batches count per campaign: a break is owed to each campaign's list. */
  afterSend(campaignId: string, tier: SpeedTierName): number {
    const { batchSize, breakSeconds } = SPEED_TIERS[tier];
    const sent = (this.sentInBatch.get(campaignId) ?? 0) + 1;
    if (sent < batchSize) {
      this.sentInBatch.set(campaignId, sent);
      return this.interval(tier);
    }
    this.sentInBatch.set(campaignId, 0);
    return this.jittered(breakSeconds * 1000);
  }

  afterSkip(tier: SpeedTierName): number {
    return this.interval(tier);
  }

  /** The slowest tier's break: a restart may have cut a batch short. */
  afterRestart(): number {
    return this.jittered(SPEED_TIERS[DEFAULT_SPEED_TIER].breakSeconds * 1000);
  }

  typingMs(): number {
    const { min, max } = TYPING_SECONDS;
    return this.jittered((min + this.random() * (max - min)) * 1000);
  }

  private interval(tier: SpeedTierName): number {
    const { min, max } = SPEED_TIERS[tier].intervalSeconds;
    return this.jittered((min + this.random() * (max - min)) * 1000);
  }

  /** `ms` times a factor in [1 - PACING_JITTER, 1 + PACING_JITTER]. */
  private jittered(ms: number): number {
    const factor = 1 + (this.random() * 2 - 1) * PACING_JITTER;
    return Math.round(ms * factor * this.timeScale);
  }
}

/**
 * One fixed gap and no typing: replays of recorded traces need each
 * recipient's events to play out before the next send, nothing more.
 */
export class FixedPacer implements Pacer {
  constructor(private readonly gapMs: number) {}

  afterSend(): number {
    return this.gapMs;
  }

  afterSkip(): number {
    return this.gapMs;
  }

  afterRestart(): number {
    return 0;
  }

  typingMs(): number {
    return 0;
  }
}
