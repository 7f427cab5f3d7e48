import type { CampaignState } from "../../domain/campaign-state.ts";
import type { Funnel, Rates } from "../../domain/funnel.ts";

export interface CampaignSummary {
  id: string;
  name: string;
  state: CampaignState;
  pausedReason: string | null;
  total: number;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
}

/** One message of the live socket, as docs/api.md "Viewer routes" gives it. */
export interface Snapshot {
  type: "snapshot";
  version: number;
  updatedAt: number;
  campaign: CampaignSummary;
  counts: Funnel;
  rates: Rates;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/**
 * Only the fields the page reads are checked: a payload missing one would
 * render as "NaN" or throw inside a component, so it is dropped instead.
 */
function hasSnapshotShape(value: unknown): value is Snapshot {
  if (!isRecord(value) || value.type !== "snapshot") return false;
  if (typeof value.version !== "number") return false;
  const { campaign, counts, rates } = value;
  return (
    isRecord(campaign) &&
    typeof campaign.name === "string" &&
    typeof campaign.state === "string" &&
    isRecord(counts) &&
    typeof counts.total === "number" &&
    typeof counts.pending === "number" &&
    isRecord(rates) &&
    typeof rates.delivery === "number"
  );
}

/** The snapshot in a socket message, or null for `pong` and anything else. */
export function parseSnapshot(data: unknown): Snapshot | null {
  if (typeof data !== "string" || !data.startsWith("{")) return null;
  try {
    const value: unknown = JSON.parse(data);
    return hasSnapshotShape(value) ? value : null;
  } catch {
    // A malformed frame is dropped; the next push or reconnect replaces it.
    return null;
  }
}

/**
 * The version rule: a payload older than the one shown is ignored. An equal
 * version is taken, since the reconnect snapshot repeats the last one.
 */
export function newerSnapshot(
  shown: Snapshot | null,
  incoming: Snapshot,
): Snapshot {
  if (shown !== null && incoming.version < shown.version) return shown;
  return incoming;
}
