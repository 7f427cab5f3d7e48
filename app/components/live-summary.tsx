import { formatCount } from "../lib/format.ts";
import type { Snapshot } from "../lib/snapshot.ts";
import { useThrottled } from "../lib/use-throttled.ts";

// Snapshots can arrive four times a second; a screen reader reading each
// one would never fall silent. One sentence every 15 s keeps it useful.
const ANNOUNCE_EVERY_MS = 15_000;

function summarize({ campaign, counts }: Snapshot): string {
  return (
    `${campaign.name}: ` +
    `${formatCount(counts.sent)} sent, ` +
    `${formatCount(counts.delivered)} delivered, ` +
    `at least ${formatCount(counts.read)} read, ` +
    `${formatCount(counts.played)} played, ` +
    `${formatCount(counts.failed)} failed, ` +
    `${formatCount(counts.pending)} pending.`
  );
}

/** The counts as one sentence, announced politely and not too often. */
export function LiveSummary({ snapshot }: { snapshot: Snapshot }) {
  const sentence = useThrottled(summarize(snapshot), ANNOUNCE_EVERY_MS);
  return (
    <p class="visually-hidden" aria-live="polite" aria-atomic="true">
      {sentence}
    </p>
  );
}
