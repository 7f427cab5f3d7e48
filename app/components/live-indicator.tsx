import { formatAgo } from "../lib/format.ts";
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
  updatedAt: number | null;
}

export function LiveIndicator({ connection, updatedAt }: LiveIndicatorProps) {
  // The clock ticks here only, so the rest of the page renders on data alone.
  const now = useNow(1_000);
  return (
    <p class={`live live-${connection}`}>
      <span class="live-dot" aria-hidden="true" />
      <span role="status">{CONNECTION_LABELS[connection]}</span>
      {updatedAt === null ? null : (
        <span class="live-ago">· updated {formatAgo(updatedAt, now)}</span>
      )}
    </p>
  );
}
