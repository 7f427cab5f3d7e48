import { and, asc, eq, gt } from "drizzle-orm";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import type { CampaignState } from "../../domain/campaign-state.ts";
import type { CampaignInfo } from "../../domain/snapshot.ts";
import type { Status } from "../../domain/status.ts";
import { campaigns, recipients } from "../db/schema.ts";
import type { NewCampaign } from "./new-campaign.ts";
import { callD1 } from "./room.ts";

// D1 binds at most 100 parameters per statement; a recipient row takes 4.
const RECIPIENT_ROWS_PER_INSERT = 25;

export async function insertCampaign(
  db: D1Database,
  info: CampaignInfo,
  input: NewCampaign,
): Promise<void> {
  const orm = drizzle(db);
  const rows = input.recipients.map((r, index) => ({
    campaignId: info.id,
    index,
    phone: r.phone,
    name: r.name,
  }));
  const inserts: Array<ReturnType<typeof insertRows>> = [];
  for (let i = 0; i < rows.length; i += RECIPIENT_ROWS_PER_INSERT) {
    inserts.push(insertRows(orm, rows.slice(i, i + RECIPIENT_ROWS_PER_INSERT)));
  }
  const campaignRow = orm.insert(campaigns).values({
    id: info.id,
    name: info.name,
    message: input.message,
    state: info.state,
    total: info.total,
    createdAt: info.createdAt,
  });
  // One batch is one transaction: the campaign appears whole or not at all.
  await callD1("save the campaign", () => orm.batch([campaignRow, ...inserts]));
}

function insertRows(
  orm: DrizzleD1Database,
  rows: Array<typeof recipients.$inferInsert>,
) {
  return orm.insert(recipients).values(rows);
}

export async function campaignExists(
  db: D1Database,
  id: string,
): Promise<boolean> {
  const rows = await callD1("look up the campaign", () =>
    drizzle(db)
      .select({ id: campaigns.id })
      .from(campaigns)
      .where(eq(campaigns.id, id))
      .limit(1),
  );
  return rows.length > 0;
}

export async function saveCampaignState(
  db: D1Database,
  info: CampaignInfo,
): Promise<void> {
  await callD1("record the campaign's state", () =>
    drizzle(db)
      .update(campaigns)
      .set({
        state: info.state as CampaignState,
        pausedReason: info.pausedReason,
        startedAt: info.startedAt,
        completedAt: info.completedAt,
      })
      .where(eq(campaigns.id, info.id)),
  );
}

export interface RecipientPage {
  recipients: Array<Record<string, unknown>>;
  nextCursor: string | null;
}

export async function listRecipients(
  db: D1Database,
  campaignId: string,
  options: { status?: Status; after: number; limit: number },
): Promise<RecipientPage> {
  const filters = [
    eq(recipients.campaignId, campaignId),
    gt(recipients.index, options.after),
  ];
  if (options.status) filters.push(eq(recipients.status, options.status));
  const rows = await callD1("list recipients", () =>
    drizzle(db)
      .select()
      .from(recipients)
      .where(and(...filters))
      .orderBy(asc(recipients.index))
      .limit(options.limit + 1),
  );
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    recipients: page.map(({ campaignId: _, ...row }) => row),
    nextCursor: rows.length > options.limit && last ? String(last.index) : null,
  };
}
