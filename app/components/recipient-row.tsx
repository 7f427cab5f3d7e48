import type { Status } from "../../domain/status.ts";
import { formatMoment } from "../lib/format.ts";
import { FAILURE_LABELS, labelOf, STATUS_LABELS } from "../lib/labels.ts";
import type { RecipientRow as Row } from "../lib/recipients-api.ts";
import { TickIcon, type TickKind } from "./tick-icon.tsx";

const TICKS: Record<Status, TickKind> = {
  queued: "pending",
  pending: "pending",
  sent: "sent",
  failed: "failed",
  delivered: "delivered",
  read: "read",
  played: "read",
};

/** When the row reached the status it is in now. */
function reachedAt(row: Row): number | null {
  switch (row.status) {
    case "pending":
      return row.pendingAt;
    case "sent":
      return row.sentAt;
    case "failed":
      return row.failedAt;
    case "delivered":
      return row.deliveredAt;
    case "read":
      return row.readAt;
    case "played":
      return row.playedAt;
    default:
      return null;
  }
}

interface RecipientRowProps {
  position: number;
  row: Row | undefined;
  top: number;
  now: number;
}

/** One row of the virtual table; a placeholder until its page arrives. */
export function RecipientRow({ position, row, top, now }: RecipientRowProps) {
  const style = { transform: `translateY(${top}px)` };
  if (row === undefined) {
    return (
      <div class="row row-loading" role="row" aria-rowindex={position + 2} style={style}>
        <span role="cell" class="muted">
          Loading…
        </span>
      </div>
    );
  }
  const at = reachedAt(row);
  const reason =
    row.failureReason && row.status === "failed"
      ? labelOf(FAILURE_LABELS, row.failureReason)
      : null;
  return (
    <div class={`row row-${row.status}`} role="row" aria-rowindex={position + 2} style={style}>
      <span role="cell" class="cell-name">
        {row.name || "—"}
      </span>
      <span role="cell" class="cell-phone">
        {row.phone}
      </span>
      <span role="cell" class="cell-status">
        <TickIcon kind={TICKS[row.status]} />
        {labelOf(STATUS_LABELS, row.status)}
        {reason ? <span class="cell-reason">{reason}</span> : null}
      </span>
      <span role="cell" class="cell-time">
        {at === null ? "" : formatMoment(at, now)}
      </span>
    </div>
  );
}
