import type { Funnel } from "../../domain/funnel.ts";
import { sendPace, timeLeft } from "../lib/eta.ts";
import { formatCount, formatDuration, formatRate } from "../lib/format.ts";
import type { LiveSnapshot } from "../lib/snapshot.ts";

function processedLabel(counts: Funnel): string {
  const processed = Math.max(0, counts.total - counts.pending);
  return (
    `${formatCount(processed)} of ${formatCount(counts.total)} processed` +
    (counts.total === 0 ? "" : ` (${formatRate(processed / counts.total, 1)})`)
  );
}

/** The time left, only while sending: a paused campaign has no pace. */
function etaLabel(snapshot: LiveSnapshot): string | null {
  const { campaign, counts, timeline, updatedAt } = snapshot;
  if (campaign.state !== "sending" || counts.pending === 0) return null;
  const left = timeLeft(counts.pending, sendPace(timeline, updatedAt));
  if (left === null) return "time left: measuring the pace…";
  return `about ${formatDuration(left)} left at the current pace`;
}

/** Processed (everyone no longer pending) out of the whole campaign. */
export function ProgressBar({ snapshot }: { snapshot: LiveSnapshot }) {
  const { counts } = snapshot;
  const processed = Math.max(0, counts.total - counts.pending);
  const share = counts.total === 0 ? 0 : processed / counts.total;
  const label = processedLabel(counts);
  const eta = etaLabel(snapshot);
  return (
    <div class="progress">
      <div
        class="progress-track"
        role="progressbar"
        aria-label="Processed"
        aria-valuemin={0}
        aria-valuemax={counts.total}
        aria-valuenow={processed}
        aria-valuetext={label}
      >
        <div class="progress-fill" style={{ transform: `scaleX(${share})` }} />
      </div>
      <p class="progress-label">
        {label}
        {eta ? <span class="eta"> · {eta}</span> : null}
      </p>
    </div>
  );
}
