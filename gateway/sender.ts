import type { Logger } from "pino";
import type { ClaimedMessage } from "../domain/events.ts";
import type { AckAdapter } from "./ack-adapter.ts";
import { chatIdForPhone, type MessagingClient } from "./client/types.ts";
import { maskPhone } from "./log.ts";
import { nextPauseMs, type PacingConfig } from "./pacing.ts";
import type { SessionTracker } from "./session.ts";
import { sleep } from "./sleep.ts";

export interface SenderOptions {
  client: MessagingClient;
  claim: () => Promise<ClaimedMessage[]>;
  acks: AckAdapter;
  session: SessionTracker;
  pacing: PacingConfig;
  log: Logger;
  /** Wait before asking again when there was nothing to send. */
  idlePollMs?: number;
  /** After this long without an answer from `sendMessage`, move on. */
  sendTimeoutMs?: number;
  random?: () => number;
}

class SendTimeoutError extends Error {}

/**
 * The send loop: one message at a time, claimed just before it is sent so
 * that a message is never held while the session is down, then paced.
 */
export class Sender {
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  private sends = 0;

  constructor(private readonly options: SenderOptions) {}

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
    const { session } = this.options;
    const signal = this.stopping.signal;
    while (await session.whenReady(signal)) {
      const message = await this.claimOne();
      if (signal.aborted) return;
      if (!message) {
        await sleep(this.options.idlePollMs ?? 2_000, signal);
      } else if (!session.isReady) {
        // Its lease returns it to the queue; sending now would fail or,
        // worse, succeed without the gateway seeing the acks.
        this.options.log.info(this.logFields(message), "claimed while disconnected");
      } else {
        await this.sendOne(message);
        await sleep(nextPauseMs(this.options.pacing, this.options.random), signal);
      }
    }
  }

  private async claimOne(): Promise<ClaimedMessage | undefined> {
    try {
      const [message] = await this.options.claim();
      return message;
    } catch (error) {
      this.options.log.error({ err: error }, "claim failed");
      return undefined;
    }
  }

  /** `send_started` goes out first, so a crash mid-send leaves it pending. */
  private async sendOne(message: ClaimedMessage): Promise<void> {
    const { acks, client, log, session } = this.options;
    const ref = { campaignId: message.campaignId, recipient: message.recipient };
    const fields = this.logFields(message);
    acks.sendStarted(ref);
    this.sends += 1;
    try {
      const chatId = chatIdForPhone(message.phone);
      const sent = await this.withTimeout(client.sendMessage(chatId, message.text));
      const key = acks.sendResolved(ref, sent);
      log.info({ ...fields, withId: key !== null }, "sent");
    } catch (error) {
      if (error instanceof SendTimeoutError || !session.isReady) {
        // Whether WhatsApp took the message is unknown: it stays pending
        // rather than be counted as failed when it may have arrived.
        log.warn({ ...fields, err: error }, "send outcome unknown, left pending");
        return;
      }
      acks.sendRejected(ref, error);
      log.warn({ ...fields, err: error }, "send failed");
    }
  }

  private withTimeout<T>(sending: Promise<T>): Promise<T> {
    const ms = this.options.sendTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      const error = new SendTimeoutError(`no answer in ${ms} ms`);
      timer = setTimeout(() => reject(error), ms);
    });
    return Promise.race([sending, timeout]).finally(() => clearTimeout(timer));
  }

  private logFields(message: ClaimedMessage) {
    return {
      campaignId: message.campaignId,
      recipient: message.recipient,
      to: maskPhone(message.phone),
    };
  }
}
