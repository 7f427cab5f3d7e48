import type { Logger } from "pino";
import { serializedIdOf, type AckAdapter } from "./ack-adapter.ts";
import { phoneOfChatId, type ClientMessage, type MessagingClient } from "./client/types.ts";
import { maskPhone } from "./log.ts";
import type { GatewayStore } from "./store/gateway-store.ts";
import { hashText, type LedgerEntry, type SendLedger } from "./store/send-ledger.ts";

export interface ReconcilerOptions {
  client: MessagingClient;
  store: GatewayStore;
  ledger: SendLedger;
  acks: AckAdapter;
  log: Logger;
  /** Older messages are no longer read back: after a week, few still move. */
  maxAgeMs?: number;
}

/** How many of the chat's latest own messages are searched for a lost send. */
const CHAT_SEARCH_LIMIT = 10;
/** WhatsApp stamps messages with the phone's clock, which may run behind. */
const CLOCK_SKEW_MS = 120_000;
const WEEK_MS = 7 * 24 * 3_600_000;

/**
 * What the gateway missed while it was down or disconnected, read back
 * from WhatsApp: sends whose answer was lost, and acks that came while
 * nobody listened. Whatever it finds goes through the ack adapter as if
 * it had just happened; a status only ever rises, so a repeat is harmless.
 */
export class Reconciler {
  constructor(private readonly options: ReconcilerOptions) {}

  async run(): Promise<void> {
    const lost = await this.findLostSends();
    const raised = await this.readCurrentAcks();
    this.options.log.info({ ...lost, raised }, "caught up with WhatsApp");
  }

  /**
   * A send the process died under, or whose session dropped under it, is
   * looked for in its chat. Found, it is reported like any resolved send.
   * Not found, nobody can tell whether WhatsApp has it: it stays pending
   * for the operator, and is never sent again.
   */
  private async findLostSends(): Promise<{ found: number; unknown: number }> {
    const { acks, ledger, log, store } = this.options;
    const counts = { found: 0, unknown: 0 };
    for (const entry of ledger.unsettled()) {
      const message = await this.findInChat(entry);
      const fields = logFields(entry);
      if (!message) {
        counts.unknown += 1;
        log.warn(fields, "send outcome unknown, left pending, not resent");
        continue;
      }
      counts.found += 1;
      store.transaction(() => {
        const serialized = serializedIdOf(message);
        if (serialized) ledger.setSerializedId(entry, serialized);
        acks.sendResolved(entry, message);
      });
      log.info(fields, "lost send found in its chat");
    }
    return counts;
  }

  private async findInChat(entry: LedgerEntry): Promise<ClientMessage | null> {
    const { client, log } = this.options;
    const recent = await client
      .fetchRecentFromMe(entry.chatId, CHAT_SEARCH_LIMIT)
      .catch((error: unknown) => {
        log.warn({ ...logFields(entry), err: error }, "chat history not readable");
        return [];
      });
    const since = entry.startedAt - CLOCK_SKEW_MS;
    const match = (message: ClientMessage) =>
      (message.timestamp ?? 0) * 1000 >= since &&
      message.body !== undefined &&
      hashText(message.body) === entry.textHash;
    return recent.find(match) ?? null;
  }

  /** Returns how many messages had moved on while nobody listened. */
  private async readCurrentAcks(): Promise<number> {
    const { acks, client, ledger, log } = this.options;
    let raised = 0;
    for (const entry of ledger.unfinished(this.options.maxAgeMs ?? WEEK_MS)) {
      const id = entry.serializedId ?? `true_${entry.chatId}_${entry.messageKey}`;
      try {
        const message = await client.getMessageById(id);
        if (message?.ack === undefined) continue;
        if (acks.handleAck(message, message.ack)) raised += 1;
      } catch (error) {
        log.warn({ ...logFields(entry), err: error }, "current ack not readable");
      }
    }
    return raised;
  }
}

function logFields(entry: LedgerEntry) {
  const phone = phoneOfChatId(entry.chatId);
  return {
    campaignId: entry.campaignId,
    recipient: entry.recipient,
    to: phone ? maskPhone(phone) : "unknown",
  };
}
