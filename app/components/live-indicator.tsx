import { formatAgo, formatIn } from "../lib/format.ts";
import type { Connection } from "../lib/use-live-campaign.ts";
import { useNow } from "../lib/use-now.ts";

const CONNECTION_LABELS: Record<Connection, string> = {
  connecting: "Connecting",
  live: "Live",
  reconnecting: "Reconnecting",
  offline: "Offline",
};

interface LiveIndicatorProps {
  connection: Connection;
  retryAt: number | null;
  updatedAt: number | null;
}

function retryText(retryAt: number | null, now: number): string | null {
  if (retryAt === null) return null;
  return retryAt <= now ? "trying now" : `next try ${formatIn(retryAt, now)}`;
}

export function LiveIndicator(props: LiveIndicatorProps) {
  const { connection, retryAt, updatedAt } = props;
  // The clock ticks here only, so the rest of the page renders on data alone.
  const now = useNow(1_000);
  const retry = connection === "reconnecting" ? retryText(retryAt, now) : null;
  return (
    <p class={`live live-${connection}`}>
      <span class="live-dot" aria-hidden="true" />
      {/* The state alone is announced; the ticking seconds would chatter. */}
      <span role="status" class="live-state">
        {CONNECTION_LABELS[connection]}
      </span>
      {retry ? <span class="live-retry">· {retry}</span> : null}
      {updatedAt === null ? null : (
        <span class="live-ago">· updated {formatAgo(updatedAt, now)}</span>
      )}
    </p>
  );
}
