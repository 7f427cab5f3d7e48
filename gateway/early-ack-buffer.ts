import type { AckStatus } from "../domain/events.ts";
import { applyStatus } from "../domain/status.ts";

export interface EarlyAckBufferOptions {
  /** How many unknown messages to remember at most; the oldest go first. */
  maxMessages?: number;
  /** How long an ack waits for its send to resolve before it is dropped. */
  ttlMs?: number;
  now?: () => number;
}

interface HeldAck {
  status: AckStatus;
  firstSeenAt: number;
}

/**
 * Acks whose message the gateway does not know yet. WhatsApp Web can report
 * a message's server and device acks before `sendMessage` resolves with its
 * id, so these are held until the send resolves. Most of what lands here is
 * the operator's own chatting from the phone, which never resolves: the
 * bound and the expiry keep that from growing without limit.
 */
export class EarlyAckBuffer {
  private readonly held = new Map<string, HeldAck>();
  private readonly maxMessages: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: EarlyAckBufferOptions = {}) {
    this.maxMessages = options.maxMessages ?? 1_000;
    this.ttlMs = options.ttlMs ?? 120_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.held.size;
  }

  /** Keeps the highest status seen for `key`; lower ones add nothing. */
  hold(key: string, status: AckStatus): void {
    this.dropExpired();
    const previous = this.held.get(key);
    if (previous) {
      previous.status = applyStatus(previous.status, status);
      return;
    }
    this.held.set(key, { status, firstSeenAt: this.now() });
    this.dropOldestBeyondLimit();
  }

  /** The status held for `key`, removing it; undefined when none is held. */
  take(key: string): AckStatus | undefined {
    this.dropExpired();
    const held = this.held.get(key);
    this.held.delete(key);
    return held?.status;
  }

  /** A Map iterates in insertion order, so the oldest entries come first. */
  private dropExpired(): void {
    const oldestAllowed = this.now() - this.ttlMs;
    for (const [key, held] of this.held) {
      if (held.firstSeenAt > oldestAllowed) return;
      this.held.delete(key);
    }
  }

  private dropOldestBeyondLimit(): void {
    for (const key of this.held.keys()) {
      if (this.held.size <= this.maxMessages) return;
      this.held.delete(key);
    }
  }
}
