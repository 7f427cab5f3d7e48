import { asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { CampaignState } from "../../domain/campaign-state.ts";
import type { CampaignInfo } from "../../domain/snapshot.ts";
import { campaigns, recipients } from "../db/schema.ts";
import type { NewCampaign } from "./new-campaign.ts";
import {
  recipientConditions,
  type RecipientFilter,
} from "./recipient-query.ts";
import { callD1 } from "./room.ts";

// D1 binds at most 100 parameters per statement; a recipient row takes 5.
// Plain SQL here: drizzle would bind every column of the table per row.
const RECIPIENT_ROWS_PER_INSERT = 20;

function insertRecipients(
  db: D1Database,
  campaignId: string,
  rows: NewCampaign["recipients"],
  firstIndex: number,
): D1PreparedStatement {
  const values = rows.map(() => "(?, ?, ?, ?, ?)").join(", ");
  return db
    .prepare(`INSERT INTO recipients (campaign_id, idx, phone, name, vars) VALUES ${values}`)
    .bind(
      ...rows.flatMap((r, i) => [
        campaignId,
        firstIndex + i,
        r.phone,
        r.name,
        r.vars && JSON.stringify(r.vars),
      ]),
    );
}

export async function insertCampaign(
  db: D1Database,
  info: CampaignInfo,
  input: NewCampaign,
): Promise<void> {
  const statements = [
    db
      .prepare(
        `INSERT INTO campaigns (id, name, message, state, tier, total, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        info.id,
        info.name,
        input.message,
        info.state,
        info.tier,
        info.total,
        info.createdAt,
      ),
  ];
  for (let i = 0; i < input.recipients.length; i += RECIPIENT_ROWS_PER_INSERT) {
    const rows = input.recipients.slice(i, i + RECIPIENT_ROWS_PER_INSERT);
    statements.push(insertRecipients(db, info.id, rows, i));
  }
  // One batch is one transaction: the campaign appears whole or not at all.
  await callD1("save the campaign", () => db.batch(statements));
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
        pausedBy: info.pausedBy,
        startedAt: info.startedAt,
        completedAt: info.completedAt,
      })
      .where(eq(campaigns.id, info.id)),
  );
}

export type RecipientRow = Omit<
  typeof recipients.$inferSelect,
  "campaignId" | "vars"
> & { vars: Record<string, string> | null };

export interface RecipientRows {
  rows: RecipientRow[];
  /** the index to pass as `after` for the next page; null on the last */
  nextAfter: number | null;
}

/** One keyset page in list order, on the (campaign, index) key. */
export async function listRecipients(
  db: D1Database,
  campaignId: string,
  filter: RecipientFilter,
  page: { after: number; limit: number },
): Promise<RecipientRows> {
  const rows = await callD1("list recipients", () =>
    drizzle(db)
      .select()
      .from(recipients)
      .where(recipientConditions(campaignId, filter, page.after))
      .orderBy(asc(recipients.index))
      .limit(page.limit + 1),
  );
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    rows: shown.map(({ campaignId: _, vars, ...row }) => ({
      ...row,
      vars: vars ? JSON.parse(vars) : null,
    })),
    nextAfter: rows.length > page.limit && last ? last.index : null,
  };
}
