import type { GatewayEvent } from "../domain/events.ts";

/**
 * Where events wait until the Worker has taken them, oldest first. The
 * batcher only talks to this interface so that a durable outbox can take
 * the in-memory one's place.
 */
export interface EventOutbox {
  readonly size: number;
  append(event: GatewayEvent): void;
  /** The oldest `limit` events, left in place until `remove`. */
  peek(limit: number): GatewayEvent[];
  /** Drops the oldest `count` events once the Worker has them. */
  remove(count: number): void;
}

/** Loses what it holds when the process ends. */
export class MemoryOutbox implements EventOutbox {
  private events: GatewayEvent[] = [];

  get size(): number {
    return this.events.length;
  }

  append(event: GatewayEvent): void {
    this.events.push(event);
  }

  peek(limit: number): GatewayEvent[] {
    return this.events.slice(0, limit);
  }

  remove(count: number): void {
    this.events = this.events.slice(count);
  }
}
