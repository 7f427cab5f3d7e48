import { EventEmitter } from "node:events";
import { renameSync, writeFileSync } from "node:fs";
import { parseMessageId } from "../../domain/message-id.ts";
import type { Pseudonyms } from "./pseudonyms.ts";
import type { Trace, TraceEvent } from "./trace-file.ts";
import {
  phoneOfChatId,
  type ClientEvents,
  type ClientMessage,
  type MessagingClient,
} from "./types.ts";

/** A trace on disk is rewritten at most this often while events come in. */
const WRITE_EVERY_MS = 1_000;

interface SentTo {
  phone: string;
  at: number;
}

/**
 * Wraps a client and writes what it saw as a trace (shared/cases/FORMAT.md)
 * with pseudonymous numbers, so a problem seen in the field can be played
 * again with `npm run replay`. Each recipient's events are timed from its
 * `sendMessage`; an ack is tied to a recipient through its hex key.
 */
export class RecordingClient extends EventEmitter<ClientEvents> implements MessagingClient {
  private readonly trace: Trace;
  private readonly startedAt = Date.now();
  private readonly sentByKey = new Map<string, SentTo>();
  private readonly unmatchedAcks = new Map<string, Array<HeldAck>>();
  private lastSend: SentTo | undefined;
  private writeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly inner: MessagingClient,
    private readonly path: string,
    private readonly pseudonyms: Pseudonyms,
  ) {
    super();
    this.trace = {
      name: `recorded-${new Date(this.startedAt).toISOString().replace(/[:.]/g, "-")}`,
      about: "recorded by a Ticks gateway with --record; numbers are pseudonyms",
      message: "Hi {{name}}, (the recorded text is not kept)",
      recipients: [],
      events: [],
    };
    inner.on("qr", (qr) => this.emit("qr", qr));
    inner.on("ready", () => this.emit("ready"));
    inner.on("auth_failure", (message) => this.emit("auth_failure", message));
    inner.on("disconnected", (reason) => this.onDisconnected(reason));
    inner.on("message_ack", (message, ack) => this.onAck(message, ack));
  }

  initialize(): Promise<void> {
    return this.inner.initialize();
  }

  async sendMessage(chatId: string, text: string): Promise<ClientMessage | null | undefined> {
    const phone = this.pseudonyms.phone(phoneOfChatId(chatId) ?? chatId);
    const sent = { phone, at: Date.now() };
    this.lastSend = sent;
    if (!this.trace.recipients.some(({ phone }) => phone === sent.phone)) {
      this.trace.recipients.push({ phone: sent.phone });
    }
    try {
      const message = await this.inner.sendMessage(chatId, text);
      const id = message?.id === undefined ? null : this.pseudonyms.messageId(message.id);
      this.add(sent, { type: "send_result", id: id as TraceMessageId | null });
      this.matchAcks(message, sent);
      return message;
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.add(sent, { type: "send_error", error: this.pseudonyms.text(text) });
      throw error;
    }
  }

  getMessageById(serializedId: string): Promise<ClientMessage | null | undefined> {
    return this.inner.getMessageById(serializedId);
  }

  isRegisteredUser(chatId: string): Promise<boolean> {
    return this.inner.isRegisteredUser(chatId);
  }

  sendTyping(chatId: string, durationMs: number): Promise<void> {
    return this.inner.sendTyping(chatId, durationMs);
  }

  fetchRecentFromMe(chatId: string, limit: number): Promise<ClientMessage[]> {
    return this.inner.fetchRecentFromMe(chatId, limit);
  }

  async destroy(): Promise<void> {
    await this.inner.destroy();
    this.writeNow();
  }

  /** Tied to the last send, so a replay loses the session at the same point. */
  private onDisconnected(reason: string): void {
    this.add(this.lastSend, { type: "disconnected", reason });
    this.emit("disconnected", reason);
  }

  /** An ack may overtake its send's answer: it waits for the key's owner. */
  private onAck(message: ClientMessage, ack: number): void {
    this.emit("message_ack", message, ack);
    const key = parseMessageId(message.id)?.key;
    const event = {
      type: "message_ack" as const,
      id: this.pseudonyms.messageId(message.id) as TraceMessageId,
      ack,
    };
    const owner = key ? this.sentByKey.get(key) : undefined;
    if (owner || !key) return this.add(owner, event);
    const waiting = this.unmatchedAcks.get(key) ?? [];
    waiting.push({ at: Date.now(), event });
    this.unmatchedAcks.set(key, waiting);
  }

  private matchAcks(message: ClientMessage | null | undefined, sent: SentTo): void {
    const key = parseMessageId(message?.id)?.key;
    if (!key) return;
    this.sentByKey.set(key, sent);
    for (const { at, event } of this.unmatchedAcks.get(key) ?? []) {
      this.add(sent, event, at);
    }
    this.unmatchedAcks.delete(key);
  }

  private add(sent: SentTo | undefined, event: DistributiveOmit, at = Date.now()): void {
    const after = Math.max(0, at - (sent?.at ?? this.startedAt));
    const timed = sent ? { after, to: sent.phone } : { after };
    this.trace.events.push({ ...timed, ...event } as TraceEvent);
    this.writeTimer ??= setTimeout(() => this.writeNow(), WRITE_EVERY_MS);
  }

  /** Written whole, then renamed: a crash never leaves half a trace. */
  private writeNow(): void {
    clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.trace, null, 2)}\n`);
    renameSync(temporary, this.path);
  }
}

interface HeldAck {
  at: number;
  event: DistributiveOmit;
}

type TraceMessageId = Extract<TraceEvent, { type: "message_ack" }>["id"];

type DistributiveOmit = TraceEvent extends infer Event
  ? Event extends TraceEvent
    ? Omit<Event, "after" | "to">
    : never
  : never;
