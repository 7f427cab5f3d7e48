import { bodyLimit } from "hono/body-limit";
import { ApiError } from "./errors.ts";

const KB = 1024;

/** Largest body each kind of route reads; anything larger is refused unread. */
export const BODY_LIMITS = {
  /** a recipient list of up to 5,000 rows with their columns */
  recipientList: 4 * KB * KB,
  /** a gateway batch of up to 500 events */
  eventBatch: 512 * KB,
  /** claims, campaign actions and the like */
  small: 4 * KB,
} as const;

function describe(bytes: number): string {
  return bytes >= KB * KB ? `${bytes / KB / KB} MB` : `${bytes / KB} KB`;
}

export function limitBody(maxBytes: number, advice = "") {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(
        413,
        "body_too_large",
        `the body is larger than ${describe(maxBytes)}${advice ? `; ${advice}` : ""}`,
      );
    },
  });
}

export const limitRecipientList = limitBody(
  BODY_LIMITS.recipientList,
  "send the list in chunks (POST /api/campaigns/:id/recipients)",
);
export const limitSmallBody = limitBody(BODY_LIMITS.small);
