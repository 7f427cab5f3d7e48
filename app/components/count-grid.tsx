import type { Funnel } from "../../domain/funnel.ts";
import { CountCard } from "./count-card.tsx";

/** The funnel, one card per stage, from furthest back to failed. */
export function CountGrid({ counts }: { counts: Funnel }) {
  return (
    <dl class="count-grid">
      <CountCard
        kind="sent"
        label="Sent"
        value={counts.sent}
        hint="reached WhatsApp"
      />
      <CountCard
        kind="delivered"
        label="Delivered"
        value={counts.delivered}
        hint="on the phone"
      />
      <CountCard
        kind="read"
        label="Read"
        value={counts.read}
        hint="at least; receipts can be off"
      />
      <CountCard
        kind="failed"
        label="Failed"
        value={counts.failed}
        hint="could not be sent"
      />
      <CountCard
        kind="pending"
        label="Pending"
        value={counts.pending}
        hint="not sent yet"
      />
    </dl>
  );
}
