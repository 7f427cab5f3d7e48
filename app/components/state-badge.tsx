import type { CampaignSummary } from "../lib/snapshot.ts";

const STATE_LABELS: Record<CampaignSummary["state"], string> = {
  draft: "Draft",
  sending: "Sending",
  paused: "Paused",
  completed: "Completed",
  cancelled: "Cancelled",
};

interface StateBadgeProps {
  state: CampaignSummary["state"];
  pausedReason: string | null;
  pausedBy: string | null;
}

/** Who paused: the operator, or a gateway whose session went down. */
function pauseText(pausedBy: string | null, reason: string | null): string {
  const gateway = pausedBy?.startsWith("gateway:") ? pausedBy.slice("gateway:".length) : null;
  const who = gateway ? `by gateway ${gateway}` : pausedBy === "operator" ? "by the operator" : "";
  return [who, reason].filter(Boolean).join(": ");
}

export function StateBadge({ state, pausedReason, pausedBy }: StateBadgeProps) {
  // A state this page does not know yet is shown as the server names it.
  const label = STATE_LABELS[state] ?? state;
  const pause = state === "paused" ? pauseText(pausedBy, pausedReason) : "";
  // A status region: a pause is worth hearing at once, not with the counts.
  return (
    <p class="state" role="status">
      <span class={`badge badge-${state}`}>{label}</span>
      {pause ? <span class="paused-reason">{pause}</span> : null}
    </p>
  );
}
