import type { GatewayEvent } from "../domain/events.ts";

/**
 * An event as the gateway's parts produce it. The batcher stamps `id` and
 * `at` when the event is queued, so every part shares one id scheme.
 */
export type EventDraft = GatewayEvent extends infer Event
  ? Event extends GatewayEvent
    ? Omit<Event, "id" | "at">
    : never
  : never;

export interface EventSink {
  push(draft: EventDraft): void;
}

/** Which campaign recipient a message was sent to. */
export interface RecipientRef {
  campaignId: string;
  recipient: number;
}
