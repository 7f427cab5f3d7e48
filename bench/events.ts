import { statusOfEvent, type AckStatus, type GatewayEvent } from "../domain/events.ts";
import { funnelFromStatusCounts, type Funnel } from "../domain/funnel.ts";
import { emptyStatusCounts, statusAtRank, statusRank } from "../domain/status.ts";

/** A seeded generator (mulberry32), so every run posts the same stream. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let serial = 0;

export function ackEvent(
  campaignId: string,
  recipient: number,
  status: AckStatus,
  at = Date.now(),
): GatewayEvent {
  const messageId = `3EB0${recipient.toString(16).padStart(8, "0")}`;
  return { id: `b-${++serial}`, at, type: "ack", campaignId, recipient, messageId, status };
}

function sendResult(campaignId: string, recipient: number, at: number): GatewayEvent {
  const messageId = `3EB0${recipient.toString(16).padStart(8, "0")}`;
  return { id: `b-${++serial}`, at, type: "send_result", campaignId, recipient, messageId };
}

/**
 * A recipient's acks by its index: one in ten fails, seven in ten are read
 * and the rest delivered; 3.6 events per recipient on average. Each step's
 * delay after the send is realistic enough to interleave recipients.
 */
const JOURNEYS: Array<Array<[AckStatus, number]>> = [
  [["failed", 800]],
  ...Array.from(
    { length: 7 },
    () =>
      [
        ["sent", 300],
        ["delivered", 2_000],
        ["read", 30_000],
      ] as Array<[AckStatus, number]>,
  ),
  [
    ["sent", 300],
    ["delivered", 2_000],
  ],
  [
    ["sent", 300],
    ["delivered", 2_000],
  ],
];

export interface EventStream {
  events: GatewayEvent[];
  /** the funnel the campaign must show once every event is applied */
  expected: Funnel;
  duplicates: number;
  moved: number;
}

/**
 * `total` events for `recipients`: each recipient's journey in time order,
 * then 10% of the posted events are copies of others and 10% are moved up
 * to `spread` places away from where time order puts them.
 */
export function ingestStream(
  campaignId: string,
  recipients: number,
  total: number,
  spread = 2_000,
): EventStream {
  const random = seededRandom(42);
  const t0 = Date.now() - 3_600_000;
  const unique: GatewayEvent[] = [];
  for (let i = 0; i < recipients; i++) {
    const sentAt = t0 + i * 5;
    unique.push(sendResult(campaignId, i, sentAt));
    for (const [status, delay] of JOURNEYS[i % JOURNEYS.length]!) {
      unique.push(ackEvent(campaignId, i, status, sentAt + delay));
    }
  }
  unique.sort((a, b) => a.at - b.at);
  const duplicates = Math.max(0, total - unique.length);
  const events = withDuplicates(unique, duplicates, spread, random);
  const moved = Math.round(events.length / 10);
  shuffleNearby(events, moved, spread, random);
  return { events, expected: expectedFunnel(unique, recipients), duplicates, moved };
}

function withDuplicates(
  events: GatewayEvent[],
  count: number,
  spread: number,
  random: () => number,
): GatewayEvent[] {
  const copies = new Map<number, GatewayEvent[]>();
  for (let k = 0; k < count; k++) {
    const from = Math.floor(random() * events.length);
    const to = Math.min(events.length - 1, from + 1 + Math.floor(random() * spread));
    copies.set(to, [...(copies.get(to) ?? []), events[from]!]);
  }
  return events.flatMap((event, i) => [event, ...(copies.get(i) ?? [])]);
}

function shuffleNearby(
  events: GatewayEvent[],
  count: number,
  spread: number,
  random: () => number,
): void {
  for (let k = 0; k < count; k++) {
    const i = Math.floor(random() * events.length);
    const offset = Math.floor((random() * 2 - 1) * spread);
    const j = Math.min(events.length - 1, Math.max(0, i + offset));
    [events[i], events[j]] = [events[j]!, events[i]!];
  }
}

/** The status rules' model: each recipient ends at its highest rank. */
export function expectedFunnel(events: GatewayEvent[], recipients: number): Funnel {
  const ranks = new Array<number>(recipients).fill(0);
  for (const event of events) {
    if (event.type === "session") continue;
    const rank = statusRank(statusOfEvent(event));
    ranks[event.recipient] = Math.max(ranks[event.recipient]!, rank);
  }
  const counts = emptyStatusCounts();
  for (const rank of ranks) counts[statusAtRank(rank)]++;
  return funnelFromStatusCounts(counts);
}

export function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
