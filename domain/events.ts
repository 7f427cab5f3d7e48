import { z } from "zod";
import { FAILURE_REASONS, type FailureReason } from "./failure.ts";
import type { SpeedTierName } from "./speed-tiers.ts";
import type { Status } from "./status.ts";

/**
 * What the gateway tells the Worker, in Ticks' own words. whatsapp-web.js
 * names never appear here: the gateway's adapter maps them first.
 *
 * Every event carries a unique `id` so retries can be traced, and an `at`
 * (ms since epoch, the gateway's clock) for the stage timestamps. Applying an
 * event twice changes nothing (statuses only move up), so a retried batch is
 * safe by construction.
 */
const eventId = z.string().min(1).max(100);
const at = z.number().int().positive();
const campaignId = z.string().regex(/^c_[a-z0-9]{16}$/, "not a campaign id");
const recipient = z.number().int().min(0).max(10_000_000);
const messageKey = z.string().min(1).max(100);

const recipientEvent = { id: eventId, at, campaignId, recipient };

export const ACK_STATUSES = [
  "pending",
  "sent",
  "delivered",
  "read",
  "played",
  "failed",
] as const satisfies readonly Status[];
export type AckStatus = (typeof ACK_STATUSES)[number];

export const SESSION_STATES = ["starting", "qr", "ready", "disconnected", "failed"] as const;
export type SessionState = (typeof SESSION_STATES)[number];

export const gatewayEventSchema = z.discriminatedUnion("type", [
  z.object({ ...recipientEvent, type: z.literal("send_started") }),
  z.object({
    ...recipientEvent,
    type: z.literal("send_result"),
    messageId: messageKey.nullable(),
  }),
  z.object({
    ...recipientEvent,
    type: z.literal("ack"),
    messageId: messageKey,
    status: z.enum(ACK_STATUSES),
  }),
  z.object({
    ...recipientEvent,
    type: z.literal("send_failed"),
    reason: z.enum(FAILURE_REASONS),
    detail: z.string().max(500),
  }),
  z.object({
    id: eventId,
    at,
    type: z.literal("session"),
    state: z.enum(SESSION_STATES),
    reason: z.string().max(200).optional(),
  }),
]);

export type GatewayEvent = z.infer<typeof gatewayEventSchema>;
export type RecipientEvent = Exclude<GatewayEvent, { type: "session" }>;
export type SessionEvent = Extract<GatewayEvent, { type: "session" }>;

export const MAX_EVENTS_PER_BATCH = 500;

/** Makes every signed body unique, since the Worker refuses repeats. */
const nonce = z.string().max(64).optional();

export const eventBatchSchema = z.object({
  events: z.array(gatewayEventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
  nonce,
});

/** The status an event proves the recipient has reached. */
export function statusOfEvent(event: RecipientEvent): Status {
  switch (event.type) {
    case "send_started":
    case "send_result":
      return "pending";
    case "ack":
      return event.status;
    case "send_failed":
      return "failed";
  }
}

/** Why an event fails its recipient, or null when it does not. */
export function failureOfEvent(
  event: RecipientEvent,
): { reason: FailureReason; detail: string } | null {
  if (event.type === "send_failed") {
    return { reason: event.reason, detail: event.detail };
  }
  if (event.type === "ack" && event.status === "failed") {
    return { reason: "rejected", detail: "WhatsApp reported an error ack (-1)" };
  }
  return null;
}

export const claimRequestSchema = z.object({
  limit: z.number().int().min(1).max(50).default(1),
  /** claim only this campaign's messages (a replay, a test) */
  campaignId: campaignId.optional(),
  nonce,
});

/** A message the Worker hands a gateway to send. */
export interface ClaimedMessage {
  campaignId: string;
  recipient: number;
  phone: string;
  text: string;
  /** how fast this campaign may be sent (domain/speed-tiers.ts) */
  tier: SpeedTierName;
  leaseExpiresAt: number;
}
