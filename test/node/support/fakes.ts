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

  async getMessageById(): Promise<null> {
    return null;
  }

  async isRegisteredUser(): Promise<boolean> {
    return true;
  }

  async destroy(): Promise<void> {}
}
