import { callD1 } from "../campaigns/room.ts";

export interface CampaignSize {
  total: number;
  workspaceId: string;
  /** a draft has sent nothing, so no event can be about it */
  draft: boolean;
}

/**
 * A campaign's recipient count is fixed once it leaves draft, so each
 * isolate keeps those it has read; only drafts and unseen campaigns cost
 * a D1 read.
 */
const started = new Map<string, CampaignSize>();
const MAX_REMEMBERED = 10_000;
// D1 binds at most 100 parameters per statement.
const IDS_PER_QUERY = 100;

export async function campaignTotals(
  db: D1Database,
  campaignIds: string[],
): Promise<Map<string, CampaignSize>> {
  const sizes = new Map<string, CampaignSize>();
  for (const id of campaignIds) {
    const size = started.get(id);
    if (size) sizes.set(id, size);
  }
  const unseen = campaignIds.filter((id) => !sizes.has(id));
  for (let i = 0; i < unseen.length; i += IDS_PER_QUERY) {
    await readSizes(db, unseen.slice(i, i + IDS_PER_QUERY), sizes);
  }
  return sizes;
}

async function readSizes(
  db: D1Database,
  ids: string[],
  sizes: Map<string, CampaignSize>,
): Promise<void> {
  const placeholders = ids.map(() => "?").join(",");
  const { results } = await callD1("look up campaigns", () =>
    db
      .prepare(`SELECT id, total, state, workspace_id FROM campaigns WHERE id IN (${placeholders})`)
      .bind(...ids)
      .all<{ id: string; total: number; state: string; workspace_id: string }>(),
  );
  if (started.size > MAX_REMEMBERED) started.clear();
  for (const row of results) {
    const size = { total: row.total, workspaceId: row.workspace_id, draft: row.state === "draft" };
    sizes.set(row.id, size);
    if (!size.draft) started.set(row.id, size);
  }
}
