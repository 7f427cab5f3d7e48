import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { MAX_EVENTS_PER_BATCH, type GatewayEvent } from "../domain/events.ts";
import { MemoryOutbox, type EventOutbox } from "./event-outbox.ts";
import type { EventDraft, EventSink } from "./event-sink.ts";
import type { EventsResponse } from "./worker-api.ts";
import { WorkerRequestError } from "./worker-request-error.ts";

export interface EventBatcherOptions {
  gatewayId: string;
  post: (events: GatewayEvent[]) => Promise<EventsResponse>;
  log: Logger;
  outbox?: EventOutbox;
  /** Post as soon as this many events wait (at most MAX_EVENTS_PER_BATCH). */
  maxBatchSize?: number;
  /** Otherwise post this long after the first waiting event arrived. */
  flushIntervalMs?: number;
  /** Pause after a post that failed even with its retries. */
  retryPauseMs?: number;
  now?: () => number;
}

/**
 * Queues events in order and posts them in batches, one request at a time,
 * so the Worker sees them in the order they happened.
 */
export class EventBatcher implements EventSink {
  private readonly outbox: EventOutbox;
  private readonly maxBatchSize: number;
  private batchLimit: number;
  private readonly runId = randomBytes(3).toString("hex");
  private counter = 0;
  private timer: NodeJS.Timeout | undefined;
  private posting = false;
  private drainWaiters: Array<() => void> = [];

  constructor(private readonly options: EventBatcherOptions) {
    this.outbox = options.outbox ?? new MemoryOutbox();
    const size = options.maxBatchSize ?? 100;
    this.maxBatchSize = Math.max(1, Math.min(size, MAX_EVENTS_PER_BATCH));
    this.batchLimit = this.maxBatchSize;
  }

  get pending(): number {
    return this.outbox.size;
  }

  push(draft: EventDraft): void {
    this.outbox.append(this.stamp(draft));
    if (this.outbox.size >= this.maxBatchSize) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushInterval());
  }

  /** Starts posting what an earlier run left in the outbox. */
  resume(): void {
    if (this.outbox.size > 0) void this.flush();
  }

  /** Posts everything now and resolves once the queue is empty. */
  drain(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    const drained = new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    void this.flush();
    return drained;
  }

  /** Stops the pending timer; what is queued stays in the outbox. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * The counter orders a run's events; the random run id keeps ids unique
   * across restarts of the same gateway.
   */
  private stamp(draft: EventDraft): GatewayEvent {
    this.counter += 1;
    const id = `${this.options.gatewayId}-${this.counter.toString(36)}-${this.runId}`;
    const at = (this.options.now ?? Date.now)();
    return { ...draft, id, at } as GatewayEvent;
  }

  private async flush(): Promise<void> {
    this.stop();
    if (this.posting) return;
    this.posting = true;
    try {
      while (this.outbox.size > 0) {
        if (!(await this.postOldest())) {
          const pauseMs = this.options.retryPauseMs ?? 5_000;
          this.timer = setTimeout(() => void this.flush(), pauseMs);
          return;
        }
      }
    } finally {
      this.posting = false;
      if (this.isIdle()) this.resolveDrainWaiters();
    }
  }

  /** Returns false when the batch should be tried again later. */
  private async postOldest(): Promise<boolean> {
    const batch = this.outbox.peek(this.batchLimit);
    try {
      const result = await this.options.post(batch);
      this.options.log.info({ events: batch.length, ...result }, "batch posted");
    } catch (error) {
      if (isWorthRetrying(error)) {
        this.options.log.warn({ events: batch.length, err: error }, "batch not posted");
        return false;
      }
      if (batch.length > 1) {
        // One bad event must not cost the others: halve the batch until
        // the refused event is alone.
        this.batchLimit = Math.ceil(batch.length / 2);
        const events = batch.length;
        this.options.log.warn({ events, err: error }, "batch refused, split");
        return true;
      }
      // Resending it would block every later event behind it, so the
      // refused event is logged in full and dropped.
      this.options.log.error({ err: error, dropped: batch }, "event refused, dropped");
    }
    this.outbox.remove(batch.length);
    this.batchLimit = Math.min(this.maxBatchSize, this.batchLimit * 2);
    return true;
  }

  private isIdle(): boolean {
    return this.outbox.size === 0 && !this.posting;
  }

  private flushInterval(): number {
    return this.options.flushIntervalMs ?? 200;
  }

  private resolveDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * Only a refusal of the body itself drops events. A 401 or 403 is a wrong
 * secret or clock, fixed by the operator; the events wait for that.
 */
function isWorthRetrying(error: unknown): boolean {
  if (!(error instanceof WorkerRequestError) || error.retryable) return true;
  return error.status === 401 || error.status === 403;
}
