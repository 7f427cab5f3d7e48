import type { SessionState } from "../../domain/events.ts";
import type { FailureReason } from "../../domain/failure.ts";
import type { Status } from "../../domain/status.ts";

/** The page's words for the shared vocabulary (domain/). */
export const FAILURE_LABELS: Record<FailureReason, string> = {
  not_on_whatsapp: "Not on WhatsApp",
  unresolved_contact: "Contact not found",
  rejected: "Rejected by WhatsApp",
  rate_limited: "Rate limited",
  send_error: "Send error",
};

export const STATUS_LABELS: Record<Status, string> = {
  queued: "Queued",
  pending: "Sending",
  sent: "Sent",
  failed: "Failed",
  delivered: "Delivered",
  read: "Read",
  played: "Played",
};

export const GATEWAY_LABELS: Record<SessionState, string> = {
  starting: "starting",
  qr: "waiting for a QR scan",
  ready: "ready",
  disconnected: "disconnected",
  failed: "failed",
};

/** A label for a value a newer server may add: shown as the server names it. */
export function labelOf<K extends string>(labels: Record<K, string>, key: string): string {
  return (labels as Record<string, string>)[key] ?? key.replace(/_/g, " ");
}
