import type { CampaignState } from "../../domain/campaign-state.ts";
import type { FailureReason } from "../../domain/failure.ts";
import type { Funnel, Rates } from "../../domain/funnel.ts";
import type { GatewayHealth, LatencyPercentiles, TimelinePoint } from "../../domain/snapshot.ts";

export interface CampaignSummary {
  id: string;
  name: string;
  state: CampaignState;
  pausedReason: string | null;
  /** `operator` or `gateway:<id>`; absent from servers before it existed */
  pausedBy?: string | null;
  total: number;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
}

/**
 * One message of the live socket, as docs/api.md "Viewer routes" gives it;
 * the statistics after `rates` came later and may be missing.
 */
export interface Snapshot {
  type: "snapshot";
  version: number;
  updatedAt: number;
  campaign: CampaignSummary;
  counts: Funnel;
  rates: Rates;
  timeline?: TimelinePoint[];
  latency?: { deliver: LatencyPercentiles; read: LatencyPercentiles };
  failures?: Partial<Record<FailureReason, number>>;
  gateways?: GatewayHealth[];
}

/**
 * A snapshot as components get it: what an older server left out is
 * filled with empty values, so no component has to check.
 */
export type LiveSnapshot = Required<Snapshot> & {
  campaign: CampaignSummary & { pausedBy: string | null };
};

const NO_LATENCY: LatencyPercentiles = { p50: null, p90: null };

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

function withStatistics(core: Snapshot): LiveSnapshot {
  const latency = isRecord(core.latency) ? core.latency : undefined;
  return {
    ...core,
    campaign: { ...core.campaign, pausedBy: core.campaign.pausedBy ?? null },
    timeline: Array.isArray(core.timeline) ? core.timeline : [],
    latency: {
      deliver: latency?.deliver ?? NO_LATENCY,
      read: latency?.read ?? NO_LATENCY,
    },
    failures: isRecord(core.failures) ? core.failures : {},
    gateways: Array.isArray(core.gateways) ? core.gateways : [],
  };
}

/** The snapshot in a socket message, or null for `pong` and anything else. */
export function parseSnapshot(data: unknown): LiveSnapshot | null {
  if (typeof data !== "string" || !data.startsWith("{")) return null;
  try {
    const value: unknown = JSON.parse(data);
    return hasSnapshotShape(value) ? withStatistics(value) : null;
  } catch {
    // A malformed frame is dropped; the next push or reconnect replaces it.
    return null;
  }
}

/**
 * The version rule: a payload older than the one shown is ignored. An equal
 * version is taken, since the reconnect snapshot repeats the last one.
 */
export function newerSnapshot<S extends Snapshot>(shown: S | null, incoming: S): S {
  if (shown !== null && incoming.version < shown.version) return shown;
  return incoming;
}
