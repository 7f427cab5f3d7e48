import type { CampaignState } from "./campaign-state.ts";
import type { SessionState } from "./events.ts";
import type { FailureReason } from "./failure.ts";
import type { Funnel, Rates } from "./funnel.ts";
import type { SpeedTierName } from "./speed-tiers.ts";

export interface CampaignInfo {
  id: string;
  name: string;
  state: CampaignState;
  pausedReason: string | null;
  /** `operator`, or `gateway:<id>` when that gateway's session went down */
  pausedBy: string | null;
  tier: SpeedTierName;
  total: number;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
}

export interface TimelinePoint {
  /** start of the minute, ms since epoch */
  at: number;
  sent: number;
  delivered: number;
  read: number;
}

/** Milliseconds; null until at least one message got that far. */
export interface LatencyPercentiles {
  p50: number | null;
  p90: number | null;
}

export interface GatewayHealth {
  id: string;
  state: SessionState;
  reason: string | null;
  at: number;
}

/** What a campaign's Durable Object tells the API and every live viewer. */
export interface CampaignSnapshot {
  type: "snapshot";
  /** grows with every change; a client ignores anything older it receives */
  version: number;
  updatedAt: number;
  campaign: CampaignInfo;
  counts: Funnel;
  rates: Rates;
  /** cumulative counts at the end of each minute, oldest first */
  timeline: TimelinePoint[];
  /** from the start of a send to delivered, and to read */
  latency: { deliver: LatencyPercentiles; read: LatencyPercentiles };
  /** recipients failed now, by failure reason */
  failures: Partial<Record<FailureReason, number>>;
  /** the gateways that have sent this campaign, and their sessions */
  gateways: GatewayHealth[];
}
