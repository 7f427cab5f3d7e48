/** Why a message failed; a small fixed vocabulary shown on the page. */
export const FAILURE_REASONS = [
  "not_on_whatsapp",
  "unresolved_contact",
  "rejected",
  "rate_limited",
  "send_error",
] as const;

export type FailureReason = (typeof FAILURE_REASONS)[number];

const MATCHERS: Array<[RegExp, FailureReason]> = [
  [/no lid for user/i, "unresolved_contact"],
  [/not (on|registered (on|with)) whatsapp|invalid wid/i, "not_on_whatsapp"],
  // WhatsApp Web reports "rate-overlimit" when a number sends too fast.
  [/rate.?(over)?limit|too many|429/i, "rate_limited"],
];

/** Maps the text of a `sendMessage` rejection onto a failure reason. */
export function failureReasonForError(message: string): FailureReason {
  for (const [pattern, reason] of MATCHERS) {
    if (pattern.test(message)) return reason;
  }
  return "send_error";
}
