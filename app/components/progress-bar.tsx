import type { Funnel } from "../../domain/funnel.ts";
import { formatCount, formatRate } from "../lib/format.ts";

/** Processed (everyone no longer pending) out of the whole campaign. */
export function ProgressBar({ counts }: { counts: Funnel }) {
  const processed = Math.max(0, counts.total - counts.pending);
  const share = counts.total === 0 ? 0 : processed / counts.total;
  const label =
    `${formatCount(processed)} of ${formatCount(counts.total)} processed` +
    (counts.total === 0 ? "" : ` (${formatRate(share, counts.total)})`);
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
        <div
          class="progress-fill"
          style={{ transform: `scaleX(${share})` }}
        />
      </div>
      <p class="progress-label">{label}</p>
    </div>
  );
}
