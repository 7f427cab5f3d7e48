import { createHash } from "node:crypto";
import type { AckStatus } from "../../domain/events.ts";
import type { EventDraft, EventSink, RecipientRef } from "../event-sink.ts";
import type { GatewayStore } from "./gateway-store.ts";

/** A campaign message this gateway handed, or may have handed, to WhatsApp. */
export interface LedgerEntry extends RecipientRef {
  chatId: string;
  textHash: string;
  /** the hex key, once `sendMessage` resolved with an id */
  messageKey: string | null;
  serializedId: string | null;
  /** the highest status told to the Worker */
  status: AckStatus;
  startedAt: number;
  /** null while the outcome of `sendMessage` is unknown */
  settledAt: number | null;
}

interface LedgerRow {
  campaign_id: string;
  recipient: number;
  chat_id: string;
  text_hash: string;
  message_key: string | null;
  serialized_id: string | null;
  status: AckStatus;
  started_at: number;
  settled_at: number | null;
}

/**
 * Read or played means nothing can move the message further for a text;
 * failed without a key means no message exists. Everything else may
 * still change and is read back from WhatsApp after a restart.
 */
const UNFINISHED_SQL = `
SELECT * FROM ledger
WHERE message_key IS NOT NULL AND status NOT IN ('read', 'played')
  AND started_at >= ?
ORDER BY started_at`;

export function hashText(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

/** The gateway's own day, so a cap resets at the operator's midnight. */
export function localDay(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export class SendLedger {
  constructor(
    private readonly store: GatewayStore,
    private readonly now: () => number = Date.now,
  ) {}

  find(ref: RecipientRef): LedgerEntry | undefined {
    const row = this.store.db
      .prepare("SELECT * FROM ledger WHERE campaign_id = ? AND recipient = ?")
      .get(ref.campaignId, ref.recipient);
    return row ? toEntry(row as unknown as LedgerRow) : undefined;
  }

  /** Records a send about to happen and counts it for today's cap. */
  start(ref: RecipientRef, chatId: string, text: string): void {
    const at = this.now();
    this.store.db
      .prepare(
        "INSERT INTO ledger (campaign_id, recipient, chat_id, text_hash, " +
          "status, started_at) VALUES (?, ?, ?, ?, 'pending', ?)",
      )
      .run(ref.campaignId, ref.recipient, chatId, hashText(text), at);
    this.store.db
      .prepare(
        "INSERT INTO daily_sends (day, sends) VALUES (?, 1) " +
          "ON CONFLICT (day) DO UPDATE SET sends = sends + 1",
      )
      .run(localDay(at));
  }

  sendsOn(day: string): number {
    const row = this.store.db.prepare("SELECT sends FROM daily_sends WHERE day = ?").get(day);
    return Number(row?.sends ?? 0);
  }

  setSerializedId(ref: RecipientRef, serializedId: string): void {
    this.store.db
      .prepare("UPDATE ledger SET serialized_id = ? WHERE campaign_id = ? AND recipient = ?")
      .run(serializedId, ref.campaignId, ref.recipient);
  }

  /** Mirrors what the Worker is told, in the same transaction as the outbox. */
  note(draft: EventDraft): void {
    if (draft.type === "send_result") this.settle(draft, draft.messageId, "pending");
    if (draft.type === "send_failed") this.settle(draft, null, "failed");
    if (draft.type === "ack") this.raise(draft, draft.status);
  }

  /** Sends whose outcome is unknown: the process stopped under them. */
  unsettled(): LedgerEntry[] {
    const rows = this.store.db
      .prepare("SELECT * FROM ledger WHERE settled_at IS NULL ORDER BY started_at")
      .all();
    return rows.map((row) => toEntry(row as unknown as LedgerRow));
  }

  /** Messages whose status may still rise, sent within `maxAgeMs`. */
  unfinished(maxAgeMs: number): LedgerEntry[] {
    const rows = this.store.db.prepare(UNFINISHED_SQL).all(this.now() - maxAgeMs);
    return rows.map((row) => toEntry(row as unknown as LedgerRow));
  }

  /** When the last message was handed to WhatsApp, or null. */
  lastStartedAt(): number | null {
    const row = this.store.db.prepare("SELECT max(started_at) AS at FROM ledger").get();
    return row?.at === null || row?.at === undefined ? null : Number(row.at);
  }

  private settle(ref: RecipientRef, key: string | null, status: AckStatus): void {
    this.store.db
      .prepare(
        "UPDATE ledger SET settled_at = coalesce(settled_at, ?), " +
          "message_key = coalesce(message_key, ?), " +
          "status = CASE WHEN ? = 'failed' AND message_key IS NULL " +
          "THEN 'failed' ELSE status END " +
          "WHERE campaign_id = ? AND recipient = ?",
      )
      .run(this.now(), key, status, ref.campaignId, ref.recipient);
  }

  private raise(ref: RecipientRef, status: AckStatus): void {
    this.store.db
      .prepare("UPDATE ledger SET status = ? WHERE campaign_id = ? AND recipient = ?")
      .run(status, ref.campaignId, ref.recipient);
  }
}

/**
 * Every event on its way to the Worker, mirrored in the ledger in the same
 * transaction as its outbox row: what the ledger says was reported was.
 */
export class LedgerSink implements EventSink {
  constructor(
    private readonly store: GatewayStore,
    private readonly ledger: SendLedger,
    private readonly inner: EventSink,
  ) {}

  push(draft: EventDraft): void {
    this.store.transaction(() => {
      this.ledger.note(draft);
      this.inner.push(draft);
    });
  }
}

function toEntry(row: LedgerRow): LedgerEntry {
  return {
    campaignId: row.campaign_id,
    recipient: Number(row.recipient),
    chatId: row.chat_id,
    textHash: row.text_hash,
    messageKey: row.message_key,
    serializedId: row.serialized_id,
    status: row.status,
    startedAt: Number(row.started_at),
    settledAt: row.settled_at === null ? null : Number(row.settled_at),
  };
}
