import type { Operator } from "../env.ts";
import { notFound } from "../errors.ts";
import { CAMPAIGN_ID } from "./campaign-id.ts";
import { campaignHead, type CampaignHead } from "./campaign-store.ts";

/**
 * The campaign named in a path, if the operator's workspace owns it.
 * Another workspace's campaign answers 404 exactly like a missing one, so
 * ids reveal nothing across workspaces. Checked in D1 before any Durable
 * Object is reached: reaching an object creates it.
 */
export async function ownedCampaign(
  db: D1Database,
  operator: Operator,
  id: string,
): Promise<CampaignHead> {
  const head = CAMPAIGN_ID.test(id) ? await campaignHead(db, id) : null;
  if (!head || head.workspace_id !== operator.workspaceId) {
    throw notFound(`campaign ${id}`);
  }
  return head;
}
