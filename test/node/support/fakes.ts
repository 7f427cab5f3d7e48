import { EventEmitter } from "node:events";
import pino from "pino";
import type {
  ClientEvents,
  ClientMessage,
  MessagingClient,
} from "../../../gateway/client/types.ts";
import type { EventDraft, EventSink } from "../../../gateway/event-sink.ts";

export const silentLog = pino({ level: "silent" });

export class RecordingSink implements EventSink {
  readonly events: EventDraft[] = [];

  push(draft: EventDraft): void {
    this.events.push(draft);
  }

  ofType<T extends EventDraft["type"]>(type: T): Array<Extract<EventDraft, { type: T }>> {
    return this.events.filter((event): event is Extract<EventDraft, { type: T }> => {
      return event.type === type;
    });
  }
}

interface PendingSend {
  chatId: string;
  resolve(message: ClientMessage | null): void;
  reject(error: Error): void;
}

/** A client whose sends the test settles by hand. */
export class ManualClient extends EventEmitter<ClientEvents> implements MessagingClient {
  readonly sends: PendingSend[] = [];
  onSend: ((chatId: string) => void) | undefined;

  async initialize(): Promise<void> {}

  sendMessage(chatId: string): Promise<ClientMessage | null> {
    this.onSend?.(chatId);
    return new Promise((resolve, reject) => this.sends.push({ chatId, resolve, reject }));
  }

  async getMessageById(serializedId: string): Promise<ClientMessage | null> {
    return this.history.find((message) => message.id === serializedId) ?? null;
  }

  /** Numbers the test says are not on WhatsApp. */
  readonly unregistered = new Set<string>();
  readonly typing: Array<{ chatId: string; durationMs: number; at: number }> = [];
  /** What `fetchRecentFromMe` and `getMessageById` find. */
  readonly history: ClientMessage[] = [];

  async isRegisteredUser(chatId: string): Promise<boolean> {
    return !this.unregistered.has(chatId);
  }

  async sendTyping(chatId: string, durationMs: number): Promise<void> {
    this.typing.push({ chatId, durationMs, at: Date.now() });
    if (durationMs > 0) await new Promise((resolve) => setTimeout(resolve, durationMs));
  }

  async fetchRecentFromMe(chatId: string): Promise<ClientMessage[]> {
    return this.history.filter((message) => String(message.id).includes(chatId));
  }

  async destroy(): Promise<void> {}
}
