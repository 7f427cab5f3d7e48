import type { LiveSnapshot } from "../lib/snapshot.ts";
import type { Connection } from "../lib/use-live-campaign.ts";
import { GatewayHealth } from "./gateway-health.tsx";
import { LiveIndicator } from "./live-indicator.tsx";
import { StateBadge } from "./state-badge.tsx";

interface CampaignHeaderProps {
  snapshot: LiveSnapshot | null;
  connection: Connection;
  retryAt: number | null;
}

export function CampaignHeader(props: CampaignHeaderProps) {
  const { snapshot, connection, retryAt } = props;
  const campaign = snapshot?.campaign;
  return (
    <header class="campaign-header">
      <p class="brand">Ticks</p>
      <h1>{campaign?.name ?? "Campaign"}</h1>
      {campaign ? (
        <StateBadge
          state={campaign.state}
          pausedReason={campaign.pausedReason}
          pausedBy={campaign.pausedBy}
        />
      ) : null}
      <LiveIndicator
        connection={connection}
        retryAt={retryAt}
        updatedAt={snapshot?.updatedAt ?? null}
      />
      {snapshot ? <GatewayHealth gateways={snapshot.gateways} /> : null}
    </header>
  );
}
