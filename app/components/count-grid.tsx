import type { Funnel, Rates } from "../../domain/funnel.ts";
import { formatRate } from "../lib/format.ts";
import { CountCard } from "./count-card.tsx";

interface CountGridProps {
  counts: Funnel;
  rates: Rates;
}

function share(part: number, whole: number): string {
  return formatRate(whole === 0 ? 0 : part / whole, whole);
}

/** The funnel, one card per stage with its rate, then failed and pending. */
export function CountGrid({ counts, rates }: CountGridProps) {
  const { total, sent, delivered, read, played, failed, pending } = counts;
  const cards = [
    {
      kind: "sent",
      label: "Sent",
      value: sent,
      rate: `${formatRate(rates.success, sent + failed)} of attempted`,
      hint: "reached WhatsApp",
    },
    {
      kind: "delivered",
      label: "Delivered",
      value: delivered,
      rate: `${formatRate(rates.delivery, sent)} of sent`,
      hint: "on the phone",
    },
    {
      kind: "read",
      label: "Read",
      value: read,
      rate: `at least ${formatRate(rates.read, delivered)} of delivered`,
      hint: "people can turn receipts off",
    },
    {
      kind: "played",
      label: "Played",
      value: played,
      rate: `${share(played, read)} of read`,
      hint: "voice and video messages",
    },
    {
      kind: "failed",
      label: "Failed",
      value: failed,
      rate: `${share(failed, sent + failed)} of attempted`,
      hint: "could not be sent",
    },
    {
      kind: "pending",
      label: "Pending",
      value: pending,
      rate: `${share(pending, total)} of all`,
      hint: "not sent yet",
    },
  ] as const;
  return (
    <dl class="count-grid">
      {cards.map((card) => (
        <CountCard key={card.kind} {...card} />
      ))}
    </dl>
  );
}
