import type { AckStatus, GatewayEvent } from "../../domain/events.ts";

/** Recipients whose journeys are interleaved, as concurrent sends are. */
const BLOCK = 50;

/**
 * A recipient's path up the status order: one in ten fails, two in ten
 * stop at delivered, the rest are read.
 */
function journey(recipient: number): AckStatus[] {
  if (recipient % 10 === 0) return ["failed"];
  if (recipient % 10 >= 8) return ["sent", "delivered"];
  return ["sent", "delivered", "read"];
}

/** Every event of `recipients`, in the order a steady gateway posts them. */
export function soakStream(campaignId: string, recipients: number): GatewayEvent[] {
  const events: GatewayEvent[] = [];
  const at = Date.now();
  for (let first = 0; first < recipients; first += BLOCK) {
    const block = Array.from({ length: Math.min(BLOCK, recipients - first) }, (_, n) => first + n);
    const steps = block.map((recipient) => recipientEvents(campaignId, recipient, at));
    for (let step = 0; step < 5; step++) {
      for (const path of steps) if (path[step]) events.push(path[step]!);
    }
  }
  return events.map((event, n) => ({ ...event, id: `soak-${n}` }));
}

function recipientEvents(campaignId: string, recipient: number, at: number): GatewayEvent[] {
  const messageId = `3EB0${recipient.toString(16).padStart(8, "0")}`;
  const base = { id: "", at, campaignId, recipient };
  return [
    { ...base, type: "send_started" },
    { ...base, type: "send_result", messageId },
    ...journey(recipient).map((status): GatewayEvent => ({
      ...base,
      type: "ack",
      messageId,
      status,
    })),
  ];
}

/** Events per recipient on average, to size the campaign for a duration. */
export const EVENTS_PER_RECIPIENT = (3 + 4 * 2 + 5 * 7) / 10;
