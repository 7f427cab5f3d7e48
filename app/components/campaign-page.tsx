import { useEffect } from "preact/hooks";
import { useLiveCampaign } from "../lib/use-live-campaign.ts";
import { CampaignHeader } from "./campaign-header.tsx";
import { CountGrid } from "./count-grid.tsx";
import { LiveSummary } from "./live-summary.tsx";
import { ProgressBar } from "./progress-bar.tsx";
import { RateList } from "./rate-list.tsx";
import { RefusalNotice } from "./refusal-notice.tsx";

interface CampaignPageProps {
  campaignId: string;
  token: string;
}

export function CampaignPage({ campaignId, token }: CampaignPageProps) {
  const { snapshot, connection, refusal } = useLiveCampaign(campaignId, token);
  const name = snapshot?.campaign.name;

  useEffect(() => {
    document.title = name ? `${name} · Ticks` : "Ticks";
  }, [name]);

  return (
    <main class="page">
      <CampaignHeader
        campaign={snapshot?.campaign ?? null}
        connection={connection}
        updatedAt={snapshot?.updatedAt ?? null}
      />
      {refusal ? <RefusalNotice refusal={refusal} /> : null}
      {snapshot ? (
        <>
          <ProgressBar counts={snapshot.counts} />
          <CountGrid counts={snapshot.counts} />
          <RateList counts={snapshot.counts} rates={snapshot.rates} />
          <LiveSummary snapshot={snapshot} />
        </>
      ) : refusal?.final ? null : (
        <p class="loading">Loading the campaign…</p>
      )}
    </main>
  );
}
