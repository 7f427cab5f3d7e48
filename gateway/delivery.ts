import type { Logger } from "pino";
import type { ClaimedMessage } from "../domain/events.ts";
import { serializedIdOf, type AckAdapter } from "./ack-adapter.ts";
import { chatIdForPhone, type MessagingClient } from "./client/types.ts";
import type { RecipientRef } from "./event-sink.ts";
import { maskPhone } from "./log.ts";
import type { SessionTracker } from "./session.ts";
import type { GatewayStore } from "./store/gateway-store.ts";
import type { LedgerEntry, SendLedger } from "./store/send-ledger.ts";

export interface DeliveryOptions {
  client: MessagingClient;
  acks: AckAdapter;
  session: SessionTracker;
  store: GatewayStore;
  ledger: SendLedger;
  log: Logger;
  /** After this long without an answer from `sendMessage`, move on. */
  sendTimeoutMs?: number;
}

/**
 * `sent` when `sendMessage` was called (whatever it answered), `skipped`
 * when the number is not on WhatsApp, `held` when nothing was done: the
 * session dropped first, or the message had been sent before.
 */
export type DeliveryOutcome = { kind: "sent"; at: number } | { kind: "skipped" } | { kind: "held" };

class SendTimeoutError extends Error {}

/** One claimed message: checked, typed, recorded, sent, reported. */
export class Delivery {
  constructor(private readonly options: DeliveryOptions) {}

  async deliver(message: ClaimedMessage, typingMs: number): Promise<DeliveryOutcome> {
    const { client, ledger, log, session } = this.options;
    const known = ledger.find(message);
    if (known) return this.remindWorker(known, message);
    const chatId = chatIdForPhone(message.phone);
    if (!(await this.isOnWhatsApp(message, chatId))) return { kind: "skipped" };
    await client.sendTyping(chatId, typingMs).catch((error: unknown) => {
      log.warn({ ...logFields(message), err: error }, "typing indicator failed");
    });
    if (!session.isReady) {
      // Its lease returns it to the queue; sending now would fail or,
      // worse, succeed without the gateway seeing the acks.
      log.info(logFields(message), "session lost before sending");
      return { kind: "held" };
    }
    const at = Date.now();
    await this.send(message, chatId);
    return { kind: "sent", at };
  }

  /**
   * A message this gateway already handed to WhatsApp came back: the
   * Worker missed its `send_started` (a lease that ran out while it was
   * unreachable). It is never sent again; telling the Worker is enough.
   */
  private remindWorker(known: LedgerEntry, message: ClaimedMessage): DeliveryOutcome {
    const fields = { ...logFields(message), settled: known.settledAt !== null };
    this.options.log.warn(fields, "claimed again after it was sent, not resent");
    this.options.acks.sendStarted(refOf(message));
    return { kind: "held" };
  }

  /**
   * The number check is a courtesy to the number's reputation: when it
   * errors the send goes ahead, and its own error says what is wrong.
   */
  private async isOnWhatsApp(message: ClaimedMessage, chatId: string): Promise<boolean> {
    const { acks, client, log } = this.options;
    try {
      if (await client.isRegisteredUser(chatId)) return true;
    } catch (error) {
      log.warn({ ...logFields(message), err: error }, "number check failed");
      return true;
    }
    acks.notOnWhatsApp(refOf(message));
    log.info(logFields(message), "not on WhatsApp, not sent");
    return false;
  }

  /**
   * The ledger row and `send_started` are committed before `sendMessage`
   * is called: if the process dies in the call, the restart knows the
   * message may have gone and never sends it again.
   */
  private async send(message: ClaimedMessage, chatId: string): Promise<void> {
    const { acks, client, ledger, log, session, store } = this.options;
    const ref = refOf(message);
    const fields = logFields(message);
    store.transaction(() => {
      ledger.start(ref, chatId, message.text);
      acks.sendStarted(ref);
    });
    try {
      const sent = await this.withTimeout(client.sendMessage(chatId, message.text));
      const key = store.transaction(() => {
        const serialized = serializedIdOf(sent);
        if (serialized) ledger.setSerializedId(ref, serialized);
        return acks.sendResolved(ref, sent);
      });
      log.info({ ...fields, tier: message.tier, withId: key !== null }, "sent");
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
}

/** Only the ids go into events: never the phone or the text. */
function refOf(message: ClaimedMessage): RecipientRef {
  return { campaignId: message.campaignId, recipient: message.recipient };
}

function logFields(message: ClaimedMessage) {
  return {
    campaignId: message.campaignId,
    recipient: message.recipient,
    to: maskPhone(message.phone),
  };
}
