import type { CampaignState } from "./campaign-state.ts";
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

/** What a campaign's Durable Object tells the API and every live viewer. */
export interface CampaignSnapshot {
  type: "snapshot";
  /** grows with every change; a client ignores anything older it receives */
  version: number;
  updatedAt: number;
  campaign: CampaignInfo;
  counts: Funnel;
  rates: Rates;
}
