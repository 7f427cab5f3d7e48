import type { StatusCounts } from "./status.ts";

/**
 * The campaign funnel. Each stage counts everyone who reached it or went
 * beyond: a read message was also delivered and sent.
 */
export interface Funnel {
  total: number;
  pending: number;
  sent: number;
  delivered: number;
  read: number;
  played: number;
  failed: number;
}

export interface Rates {
  /** delivered / sent */
  delivery: number;
  /** read / delivered; a lower bound, receipts can be turned off */
  read: number;
  /** sent / (sent + failed) */
  success: number;
}

export function funnelFromStatusCounts(counts: StatusCounts): Funnel {
  const played = counts.played;
  const read = counts.read + played;
  const delivered = counts.delivered + read;
  const sent = counts.sent + delivered;
  const pending = counts.queued + counts.pending;
  const failed = counts.failed;
  return {
    total: pending + sent + failed,
    pending,
    sent,
    delivered,
    read,
    played,
    failed,
  };
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

export function ratesFromFunnel(funnel: Funnel): Rates {
  return {
    delivery: ratio(funnel.delivered, funnel.sent),
    read: ratio(funnel.read, funnel.delivered),
    success: ratio(funnel.sent, funnel.sent + funnel.failed),
  };
}
