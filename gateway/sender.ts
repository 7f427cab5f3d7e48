import type { ClaimedMessage } from "../domain/events.ts";
import type { DailyCap } from "./daily-cap.ts";
import { Delivery, type DeliveryOptions } from "./delivery.ts";
import type { Pacer } from "./pacing.ts";
import { sleep } from "./sleep.ts";

export interface SenderOptions extends DeliveryOptions {
  /** `signal` aborts when the sender stops, retries included. */
  claim: (signal: AbortSignal) => Promise<ClaimedMessage[]>;
  pacer: Pacer;
  dailyCap: DailyCap;
  /** Runs each time the session is ready again, before any claim. */
  catchUp?: () => Promise<void>;
  /** Wait before asking again when there was nothing to send. */
  idlePollMs?: number;
}

/**
 * The send loop: one message at a time, claimed just before it is sent so
 * that a message is never held while the session is down, delivered, then
 * paced by its campaign's tier.
 */
export class Sender {
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  private sends = 0;
  private nextSendAt = 0;
  private caughtUpWith = 0;
  private cappedOn: string | undefined;
  private readonly delivery: Delivery;

  constructor(private readonly options: SenderOptions) {
    this.delivery = new Delivery(options);
  }

  /** Messages handed to `sendMessage` so far. */
  get sendCount(): number {
    return this.sends;
  }

  start(): Promise<void> {
    this.running ??= this.loop();
    return this.running;
  }

  /** Stops claiming; resolves when a send in progress has finished. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const { session, pacer } = this.options;
    const signal = this.stopping.signal;
    if (signal.aborted) return;
    const lastSend = this.options.ledger.lastStartedAt();
    if (lastSend !== null) this.nextSendAt = lastSend + pacer.afterRestart();
    while (!signal.aborted && (await session.whenReady(signal))) {
      if (await this.restWhileCapped(signal)) continue;
      const typingMs = pacer.typingMs();
      await sleep(this.nextSendAt - Date.now() - typingMs, signal);
      if (signal.aborted) return;
      if (!session.isReady) continue;
      await this.catchUpAfterReconnect();
      if (signal.aborted) return;
      if (!session.isReady) continue;
      const message = await this.claimOne(signal);
      // A message that came back is leased to us: sending it is finishing
      // the current send, while dropping it would hold it for a lease.
      if (message) await this.handle(message, typingMs);
      else await sleep(this.options.idlePollMs ?? 2_000, signal);
    }
  }

  private async catchUpAfterReconnect(): Promise<void> {
    const readyCount = this.options.session.readyCount;
    if (readyCount === this.caughtUpWith) return;
    this.caughtUpWith = readyCount;
    try {
      await this.options.catchUp?.();
    } catch (error) {
      this.options.log.error({ err: error }, "catch-up after reconnect failed");
    }
  }

  /** True when it waited for the cap to reset, false when sending may go on. */
  private async restWhileCapped(signal: AbortSignal): Promise<boolean> {
    const { dailyCap, log, session } = this.options;
    if (!dailyCap.reached()) return false;
    if (this.cappedOn !== dailyCap.today) {
      this.cappedOn = dailyCap.today;
      const resumeInMs = dailyCap.msUntilReset();
      log.warn({ cap: dailyCap.limit, resumeInMs }, "daily cap reached");
      const limit = dailyCap.limit;
      session.note(`daily cap of ${limit} sends reached; sending again after midnight`);
    }
    await sleep(dailyCap.msUntilReset(), signal);
    return true;
  }

  private async claimOne(signal: AbortSignal): Promise<ClaimedMessage | undefined> {
    try {
      const [message] = await this.options.claim(signal);
      return message;
    } catch (error) {
      if (signal.aborted) return undefined;
      this.options.log.error({ err: error }, "claim failed");
      return undefined;
    }
  }

  /** The next send is timed from when this one was handed to WhatsApp. */
  private async handle(message: ClaimedMessage, typingMs: number): Promise<void> {
    const { pacer } = this.options;
    const outcome = await this.delivery.deliver(message, typingMs);
    if (outcome.kind === "sent") {
      this.sends += 1;
      this.nextSendAt = outcome.at + pacer.afterSend(message.campaignId, message.tier);
    } else if (outcome.kind === "skipped") {
      this.nextSendAt = Date.now() + pacer.afterSkip(message.tier);
    }
  }
}
