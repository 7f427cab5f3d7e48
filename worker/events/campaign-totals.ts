import { callD1 } from "../campaigns/room.ts";

/**
 * A campaign's recipient count is fixed once it leaves draft, so each
 * isolate keeps those it has read; only unseen campaigns cost a D1 read.
 */
const knownTotals = new Map<string, number>();
const MAX_REMEMBERED = 10_000;
// D1 binds at most 100 parameters per statement.
const IDS_PER_QUERY = 100;

export async function campaignTotals(
  db: D1Database,
  campaignIds: string[],
): Promise<Map<string, number>> {
  const draftTotals = new Map<string, number>();
  const unseen = campaignIds.filter((id) => !knownTotals.has(id));
  for (let i = 0; i < unseen.length; i += IDS_PER_QUERY) {
    await readTotals(db, unseen.slice(i, i + IDS_PER_QUERY), draftTotals);
  }
  const totals = new Map<string, number>();
  for (const id of campaignIds) {
    const total = knownTotals.get(id) ?? draftTotals.get(id);
    if (total !== undefined) totals.set(id, total);
  }
  return totals;
}

async function readTotals(
  db: D1Database,
  ids: string[],
  draftTotals: Map<string, number>,
): Promise<void> {
  const placeholders = ids.map(() => "?").join(",");
  const { results } = await callD1("look up campaigns", () =>
    db
      .prepare(`SELECT id, total, state FROM campaigns WHERE id IN (${placeholders})`)
      .bind(...ids)
      .all<{ id: string; total: number; state: string }>(),
  );
  if (knownTotals.size > MAX_REMEMBERED) knownTotals.clear();
  for (const row of results) {
    if (row.state === "draft") draftTotals.set(row.id, row.total);
    else knownTotals.set(row.id, row.total);
  }
}
