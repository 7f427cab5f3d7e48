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

export interface MessagingClient
  extends Pick<EventEmitter<ClientEvents>, "on" | "off" | "once"> {
  initialize(): Promise<void>;
  /**
   * Resolves with the sent message. Traces show it resolving without one,
   * so callers must handle `null`/`undefined`.
   */
  sendMessage(chatId: string, text: string): Promise<ClientMessage | null | undefined>;
  getMessageById(serializedId: string): Promise<ClientMessage | null | undefined>;
  isRegisteredUser(chatId: string): Promise<boolean>;
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
