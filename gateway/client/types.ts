import type { EventEmitter } from "node:events";

/**
 * The part of whatsapp-web.js's `Client` the gateway uses, with the same
 * event names and argument shapes, so the real client, the simulation and
 * trace replays are interchangeable. Only `gateway/ack-adapter.ts` turns
 * these names and values into Ticks vocabulary.
 */

/**
 * A message as whatsapp-web.js hands it over. `id` stays `unknown` on
 * purpose: it is a raw id object whose keys differ between WhatsApp Web
 * builds, and traces give it as a string too. Read it only through
 * `parseMessageId` from domain/message-id.ts.
 */
export interface ClientMessage {
  id: unknown;
  ack?: number;
  /** the text, as `Message.body` */
  body?: string;
  /** unix seconds, as `Message.timestamp` */
  timestamp?: number;
}

/** whatsapp-web.js's `MessageAck`: -1 error, 0 pending ... 4 played. */
export type ClientAck = number;

export interface ClientEvents {
  qr: [qr: string];
  ready: [];
  /** whatsapp-web.js passes a `WAState` name or "LOGOUT" */
  disconnected: [reason: string];
  auth_failure: [message: string];
  message_ack: [message: ClientMessage, ack: ClientAck];
}

export type ClientEventName = keyof ClientEvents;

export interface MessagingClient extends Pick<EventEmitter<ClientEvents>, "on" | "off" | "once"> {
  initialize(): Promise<void>;
  /**
   * Resolves with the sent message. Traces show it resolving without one,
   * so callers must handle `null`/`undefined`.
   */
  sendMessage(chatId: string, text: string): Promise<ClientMessage | null | undefined>;
  getMessageById(serializedId: string): Promise<ClientMessage | null | undefined>;
  /** Whether the number has WhatsApp at all (`Client.isRegisteredUser`). */
  isRegisteredUser(chatId: string): Promise<boolean>;
  /** Shows "typing…" in the chat for `durationMs`, then clears it. */
  sendTyping(chatId: string, durationMs: number): Promise<void>;
  /**
   * The latest messages this account sent in the chat, oldest first
   * (`Chat.fetchMessages({ fromMe: true, limit })`): how a send whose
   * answer was lost in a crash is found again.
   */
  fetchRecentFromMe(chatId: string, limit: number): Promise<ClientMessage[]>;
  destroy(): Promise<void>;
}

/** The chat id whatsapp-web.js expects for a phone number in digits. */
export function chatIdForPhone(phone: string): string {
  return `${phone.replace(/\D/g, "")}@c.us`;
}

/** The phone digits of a `<digits>@c.us` chat id, or null for other ids. */
export function phoneOfChatId(chatId: string): string | null {
  const match = /^(\d+)@c\.us$/.exec(chatId);
  return match?.[1] ?? null;
}
