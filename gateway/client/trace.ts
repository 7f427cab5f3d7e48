import { EventEmitter } from "node:events";
import type { Trace, TraceEvent } from "./trace-file.ts";
import {
  phoneOfChatId,
  type ClientEvents,
  type ClientMessage,
  type MessagingClient,
} from "./types.ts";

interface SendOutcome {
  resolve(message: ClientMessage | null): void;
  reject(error: Error): void;
}

/**
 * Plays a recorded trace (shared/cases/FORMAT.md) as a client would: each
 * recipient's events start when `sendMessage` is called for them, and
 * events without a recipient start at `initialize`.
 */
export class TraceClient extends EventEmitter<ClientEvents> implements MessagingClient {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sendsByPhone = new Map<string, number>();
  private readonly unsettled = new Set<SendOutcome>();
  private finishWaiters: Array<() => void> = [];
  private disconnected = false;

  constructor(private readonly trace: Trace) {
    super();
  }

  async initialize(): Promise<void> {
    this.schedule(0, () => this.emit("ready"));
    for (const event of this.eventsFor(undefined)) {
      this.schedule(event.after, () => this.play(event));
    }
  }

  sendMessage(chatId: string): Promise<ClientMessage | null> {
    const phone = phoneOfChatId(chatId) ?? chatId;
    const sends = (this.sendsByPhone.get(phone) ?? 0) + 1;
    this.sendsByPhone.set(phone, sends);
    if (this.disconnected) {
      const closed = "Session closed: the trace client is disconnected";
      return Promise.reject(new Error(closed));
    }
    if (sends > 1) {
      return Promise.reject(new Error("the trace holds one send per recipient"));
    }
    return new Promise((resolve, reject) => {
      const outcome = { resolve, reject };
      this.unsettled.add(outcome);
      for (const event of this.eventsFor(phone)) {
        this.schedule(event.after, () => this.play(event, outcome));
      }
      this.checkFinished();
    });
  }

  /** A trace does not record lookups, so nothing is found. */
  async getMessageById(): Promise<null> {
    return null;
  }

  async isRegisteredUser(): Promise<boolean> {
    return true;
  }

  /** Traces record no typing; replays pace without it. */
  async sendTyping(): Promise<void> {}

  /** Nor chat history: a send lost in a crash is not found again. */
  async fetchRecentFromMe(): Promise<ClientMessage[]> {
    return [];
  }

  async destroy(): Promise<void> {
    this.stopTimers();
  }

  /** How often `sendMessage` was called for this phone number. */
  sendCount(phone: string): number {
    return this.sendsByPhone.get(phone) ?? 0;
  }

  /**
   * Resolves once nothing is left to play: every recipient was sent to, or
   * the session was lost, and every scheduled event has fired.
   */
  whenFinished(): Promise<void> {
    return new Promise((resolve) => {
      this.finishWaiters.push(resolve);
      this.checkFinished();
    });
  }

  /** Array.sort is stable, so events with the same `after` keep file order. */
  private eventsFor(phone: string | undefined): TraceEvent[] {
    return this.trace.events
      .filter((event) => event.to === phone)
      .sort((a, b) => a.after - b.after);
  }

  private play(event: TraceEvent, outcome?: SendOutcome): void {
    switch (event.type) {
      case "send_result": {
        const message = event.id === null ? null : { id: event.id };
        return this.settle(outcome, () => outcome?.resolve(message));
      }
      case "send_error":
        return this.settle(outcome, () => outcome?.reject(new Error(event.error)));
      case "message_ack":
        this.emit("message_ack", { id: event.id, ack: event.ack }, event.ack);
        return;
      case "disconnected":
        this.disconnected = true;
        this.stopTimers();
        this.emit("disconnected", event.reason);
        this.rejectUnsettledSends();
        return;
    }
  }

  private settle(outcome: SendOutcome | undefined, settle: () => void): void {
    if (!outcome || !this.unsettled.delete(outcome)) return;
    settle();
  }

  /** As whatsapp-web.js does when its page closes under a send. */
  private rejectUnsettledSends(): void {
    for (const outcome of this.unsettled) {
      outcome.reject(new Error("Protocol error: Session closed"));
    }
    this.unsettled.clear();
  }

  /** After a disconnect the client is gone: nothing more is played. */
  private schedule(afterMs: number, play: () => void): void {
    if (this.disconnected) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      play();
      this.checkFinished();
    }, afterMs);
    this.timers.add(timer);
  }

  private stopTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private checkFinished(): void {
    if (this.timers.size > 0 || this.finishWaiters.length === 0) return;
    const { recipients } = this.trace;
    const allSent = recipients.every(({ phone }) => this.sendsByPhone.has(phone));
    if (!allSent && !this.disconnected) return;
    const waiters = this.finishWaiters;
    this.finishWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
