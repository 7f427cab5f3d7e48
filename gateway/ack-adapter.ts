import type { Logger } from "pino";
import type { AckStatus, SessionState } from "../domain/events.ts";
import { failureReasonForError } from "../domain/failure.ts";
import { parseMessageId } from "../domain/message-id.ts";
import { applyStatus, type Status } from "../domain/status.ts";
import type { ClientAck, ClientMessage, MessagingClient } from "./client/types.ts";
import { EarlyAckBuffer } from "./early-ack-buffer.ts";
import type { EventSink, RecipientRef } from "./event-sink.ts";

/**
 * The one place where whatsapp-web.js's names and values become Ticks
 * vocabulary: ack numbers, message ids, send errors and session events.
 * Nothing past this file sees a raw ack or id.
 */

const STATUS_OF_ACK = new Map<ClientAck, AckStatus>([
  [-1, "failed"],
  [0, "pending"],
  [1, "sent"],
  [2, "delivered"],
  [3, "read"],
  [4, "played"],
]);

export function statusForAck(ack: ClientAck): AckStatus | null {
  return STATUS_OF_ACK.get(ack) ?? null;
}

/** Matches the detail limit of `send_failed` in domain/events.ts. */
const MAX_DETAIL_LENGTH = 500;

interface TrackedMessage {
  ref: RecipientRef;
  /** the highest status already told to the Worker */
  reported: Status;
}

export interface AckAdapterOptions {
  sink: EventSink;
  log: Logger;
  earlyAcks?: EarlyAckBuffer;
  /** Campaign messages remembered for acks; the oldest are forgotten first. */
  maxTrackedMessages?: number;
}

export class AckAdapter {
  private readonly tracked = new Map<string, TrackedMessage>();
  private readonly earlyAcks: EarlyAckBuffer;
  private readonly maxTracked: number;

  constructor(private readonly options: AckAdapterOptions) {
    this.earlyAcks = options.earlyAcks ?? new EarlyAckBuffer();
    this.maxTracked = options.maxTrackedMessages ?? 100_000;
  }

  /** Listens for acks on `client`; returns a function that stops listening. */
  attach(client: MessagingClient): () => void {
    const listener = (message: ClientMessage, ack: ClientAck) => {
      this.handleAck(message, ack);
    };
    client.on("message_ack", listener);
    return () => client.off("message_ack", listener);
  }

  sendStarted(ref: RecipientRef): void {
    this.options.sink.push({ type: "send_started", ...ref });
  }

  /** Reports the send and the acks that overtook it; returns the hex key. */
  sendResolved(ref: RecipientRef, message: ClientMessage | null | undefined): string | null {
    const key = parseMessageId(message?.id)?.key ?? null;
    this.options.sink.push({ type: "send_result", ...ref, messageId: key });
    if (key === null) return null;
    const tracked = this.track(key, ref);
    const early = this.earlyAcks.take(key);
    if (early) this.report(key, tracked, early);
    const ackAtResolve = statusForAck(message?.ack ?? Number.NaN);
    if (ackAtResolve) this.report(key, tracked, ackAtResolve);
    return key;
  }

  /** The number check said no: nothing was sent, nothing will be. */
  notOnWhatsApp(ref: RecipientRef): void {
    const detail = "isRegisteredUser: the number is not on WhatsApp";
    const reason = "not_on_whatsapp";
    this.options.sink.push({ type: "send_failed", ...ref, reason, detail });
  }

  /**
   * Tracks a message sent before a restart, so that its acks and its
   * current ack read back from WhatsApp go through `handleAck` as usual.
   */
  restore(key: string, ref: RecipientRef, reported: Status): void {
    this.track(key, ref).reported = reported;
  }

  sendRejected(ref: RecipientRef, error: unknown): void {
    const detail = errorText(error).slice(0, MAX_DETAIL_LENGTH);
    const reason = failureReasonForError(detail);
    this.options.sink.push({ type: "send_failed", ...ref, reason, detail });
  }

  /** Returns true when the ack raised a tracked message's status. */
  handleAck(message: ClientMessage | null | undefined, ack: ClientAck): boolean {
    const status = statusForAck(ack);
    const parsed = parseMessageId(message?.id);
    if (!status || !parsed?.fromMe) return false;
    const tracked = this.tracked.get(parsed.key);
    if (tracked) return this.report(parsed.key, tracked, status);
    this.earlyAcks.hold(parsed.key, status);
    return false;
  }

  /** Sends an ack only when it raises the status, as the Worker would. */
  private report(key: string, tracked: TrackedMessage, status: AckStatus): boolean {
    const raised = applyStatus(tracked.reported, status);
    if (raised === tracked.reported) return false;
    tracked.reported = raised;
    this.options.sink.push({ type: "ack", ...tracked.ref, messageId: key, status });
    this.options.log.debug({ ...tracked.ref, status }, "ack");
    return true;
  }

  private track(key: string, ref: RecipientRef): TrackedMessage {
    const tracked: TrackedMessage = { ref, reported: "pending" };
    this.tracked.set(key, tracked);
    for (const oldest of this.tracked.keys()) {
      if (this.tracked.size <= this.maxTracked) break;
      this.tracked.delete(oldest);
    }
    return tracked;
  }
}

/**
 * The serialized id to look a message up by later, in whichever shape the
 * client gave its id; null when it gave none.
 */
export function serializedIdOf(message: ClientMessage | null | undefined): string | null {
  const id = message?.id;
  if (typeof id === "string") return id;
  if (id === null || typeof id !== "object") return null;
  const serialized = (id as Record<string, unknown>)._serialized;
  return typeof serialized === "string" ? serialized : null;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * Maps the client's session events onto Ticks session states. Returns a
 * function that stops listening.
 */
export function watchSession(
  client: MessagingClient,
  onState: (state: SessionState, reason?: string) => void,
): () => void {
  const onQr = () => onState("qr");
  const onReady = () => onState("ready");
  const onDisconnected = (reason: string) => onState("disconnected", String(reason));
  const onAuthFailure = (message: string) => onState("failed", String(message));
  client.on("qr", onQr);
  client.on("ready", onReady);
  client.on("disconnected", onDisconnected);
  client.on("auth_failure", onAuthFailure);
  return () => {
    client.off("qr", onQr);
    client.off("ready", onReady);
    client.off("disconnected", onDisconnected);
    client.off("auth_failure", onAuthFailure);
  };
}
