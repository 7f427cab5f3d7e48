import { campaignHead } from "../campaigns/campaign-store.ts";
import type { Env } from "../env.ts";
import { checkViewerToken, type ViewerCheck } from "./viewer-token.ts";

export type LinkCheck = ViewerCheck | "missing";

/** What a refused viewer is told; the page shows it as it is. */
export const LINK_REFUSALS: Record<Exclude<ViewerCheck, "ok">, string> = {
  invalid: "this link is not valid",
  expired: "this link has expired or been revoked; ask the sender for a new one",
  revoked: "this link has expired or been revoked; ask the sender for a new one",
};

/**
 * A viewer token checked against the campaign as it is now: it must be
 * signed by this deployment, unexpired, and made with the campaign's
 * current link key. A campaign that does not exist is told apart only for
 * a correctly signed token, which only the operator could have made.
 */
export async function checkViewerLink(
  env: Env,
  token: string,
  campaignId: string,
): Promise<LinkCheck> {
  const signed = await checkViewerToken(env.LINK_SECRET, token, campaignId, -1);
  if (signed === "invalid") return "invalid";
  const head = await campaignHead(env.DB, campaignId);
  if (!head) return "missing";
  return checkViewerToken(env.LINK_SECRET, token, campaignId, head.link_key_version);
}
