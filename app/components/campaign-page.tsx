import { useEffect, useState } from "preact/hooks";
import type { FailureReason } from "../../domain/failure.ts";
import type { RecipientFilter } from "../lib/recipients-api.ts";
import { useLiveCampaign } from "../lib/use-live-campaign.ts";
import { CampaignHeader } from "./campaign-header.tsx";
import { CountGrid } from "./count-grid.tsx";
import { FailureList } from "./failure-list.tsx";
import { LatencyList } from "./latency-list.tsx";
import { LiveSummary } from "./live-summary.tsx";
import { ProgressBar } from "./progress-bar.tsx";
import { RecipientSection } from "./recipient-section.tsx";
import { RefusalNotice } from "./refusal-notice.tsx";
import { TimelineChart } from "./timeline-chart.tsx";

interface CampaignPageProps {
  campaignId: string;
  token: string;
}

const ALL: RecipientFilter = { statuses: [], reason: null, q: "" };

export function CampaignPage({ campaignId, token }: CampaignPageProps) {
  const live = useLiveCampaign(campaignId, token);
  const { snapshot, refusal } = live;
  const [filter, setFilter] = useState(ALL);
  const name = snapshot?.campaign.name;

  useEffect(() => {
    document.title = name ? `${name} · Ticks` : "Ticks";
  }, [name]);

  const showFailures = (reason: FailureReason) => {
    setFilter({ statuses: ["failed"], reason, q: "" });
    document.getElementById("recipients")?.scrollIntoView();
  };

  return (
    <main class="page">
      <CampaignHeader snapshot={snapshot} connection={live.connection} retryAt={live.retryAt} />
      {refusal ? <RefusalNotice refusal={refusal} /> : null}
      {snapshot ? (
        <>
          <ProgressBar snapshot={snapshot} />
          <CountGrid counts={snapshot.counts} rates={snapshot.rates} />
          <div class="insights">
            <TimelineChart
              timeline={snapshot.timeline}
              updatedAt={snapshot.updatedAt}
              startedAt={snapshot.campaign.startedAt}
            />
            <div class="panel side">
              <LatencyList latency={snapshot.latency} />
              <FailureList failures={snapshot.failures} onPick={showFailures} />
            </div>
          </div>
          <RecipientSection
            access={{ campaignId, token }}
            snapshot={snapshot}
            filter={filter}
            onFilter={setFilter}
          />
          <LiveSummary snapshot={snapshot} />
        </>
      ) : refusal?.final ? null : (
        <p class="loading">Loading the campaign…</p>
      )}
    </main>
  );
}
