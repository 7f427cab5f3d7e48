import type { Logger } from "pino";
import type { SessionState } from "../domain/events.ts";
import type { EventSink } from "./event-sink.ts";

/** Matches the `reason` limit of session events in domain/events.ts. */
const MAX_REASON_LENGTH = 200;

/**
 * The WhatsApp session's state in Ticks terms. Reports each change to the
 * Worker and lets the sender wait for `ready`.
 */
export class SessionTracker {
  private current: SessionState | null = null;
  private readies = 0;
  private readyWaiters = new Set<() => void>();

  constructor(
    private readonly sink: EventSink,
    private readonly log: Logger,
  ) {}

  get state(): SessionState | null {
    return this.current;
  }

  get isReady(): boolean {
    return this.current === "ready";
  }

  /** How often the session became ready: a change means a reconnection. */
  get readyCount(): number {
    return this.readies;
  }

  /** A repeated state (a refreshed QR code, say) is no change and not sent. */
  update(state: SessionState, reason?: string): void {
    if (state === this.current) return;
    this.current = state;
    const shortReason = reason?.slice(0, MAX_REASON_LENGTH);
    const withReason = shortReason ? { reason: shortReason } : {};
    this.sink.push({ type: "session", state, ...withReason });
    const level = state === "failed" ? "error" : "info";
    this.log[level]({ state, reason: shortReason }, "session state");
    if (state === "ready") {
      this.readies += 1;
      this.wakeReadyWaiters();
    }
  }

  /**
   * Tells the Worker something about the session that is not a change of
   * state, such as a reached daily cap, as a repeat of the current state.
   */
  note(reason: string): void {
    if (this.current === null) return;
    const shortReason = reason.slice(0, MAX_REASON_LENGTH);
    this.sink.push({ type: "session", state: this.current, reason: shortReason });
    this.log.warn({ state: this.current, reason: shortReason }, "session note");
  }

  /**
   * Resolves true once ready, or false when `signal` aborts first. An
   * aborted signal wins over a ready session: a stopping sender must not
   * take this as leave to claim.
   */
  whenReady(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.isReady) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onReady = () => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      };
      const onAbort = () => {
        this.readyWaiters.delete(onReady);
        resolve(false);
      };
      this.readyWaiters.add(onReady);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  private wakeReadyWaiters(): void {
    const waiters = [...this.readyWaiters];
    this.readyWaiters.clear();
    for (const wake of waiters) wake();
  }
}
