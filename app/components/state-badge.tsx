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
}

export function StateBadge({ state, pausedReason }: StateBadgeProps) {
  // A state this page does not know yet is shown as the server names it.
  const label = STATE_LABELS[state] ?? state;
  // A status region: a pause is worth hearing at once, not with the counts.
  return (
    <p class="state" role="status">
      <span class={`badge badge-${state}`}>{label}</span>
      {state === "paused" && pausedReason ? (
        <span class="paused-reason">{pausedReason}</span>
      ) : null}
    </p>
  );
}
