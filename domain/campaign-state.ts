/** A campaign's life; `completed` is reached by itself, never asked for. */
export const CAMPAIGN_STATES = ["draft", "sending", "paused", "completed", "cancelled"] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

export const CAMPAIGN_ACTIONS = ["start", "pause", "resume", "cancel"] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

const MOVES: Record<CampaignAction, { from: CampaignState[]; to: CampaignState }> = {
  start: { from: ["draft"], to: "sending" },
  pause: { from: ["sending"], to: "paused" },
  resume: { from: ["paused"], to: "sending" },
  cancel: { from: ["draft", "sending", "paused"], to: "cancelled" },
};

export type TransitionResult =
  { ok: true; state: CampaignState; changed: boolean } | { ok: false; message: string };

/**
 * Asking for the state a campaign is already in succeeds without a change,
 * so an operator (or a retried request) can repeat an action safely.
 */
export function transitionCampaign(
  current: CampaignState,
  action: CampaignAction,
): TransitionResult {
  const move = MOVES[action];
  if (current === move.to) return { ok: true, state: current, changed: false };
  if (move.from.includes(current)) {
    return { ok: true, state: move.to, changed: true };
  }
  return {
    ok: false,
    message:
      `cannot ${action} a campaign that is ${current}; ` +
      `${action} works on ${move.from.join(" or ")} campaigns`,
  };
}
