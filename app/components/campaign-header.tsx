import type { CampaignSummary } from "../lib/snapshot.ts";
import type { Connection } from "../lib/use-live-campaign.ts";
import { LiveIndicator } from "./live-indicator.tsx";
import { StateBadge } from "./state-badge.tsx";

interface CampaignHeaderProps {
  campaign: CampaignSummary | null;
  connection: Connection;
  updatedAt: number | null;
}

export function CampaignHeader(props: CampaignHeaderProps) {
  const { campaign, connection, updatedAt } = props;
  return (
    <header class="campaign-header">
      <p class="brand">Ticks</p>
      <h1>{campaign?.name ?? "Campaign"}</h1>
      {campaign ? (
        <StateBadge
          state={campaign.state}
          pausedReason={campaign.pausedReason}
        />
      ) : null}
      <LiveIndicator connection={connection} updatedAt={updatedAt} />
    </header>
  );
}
