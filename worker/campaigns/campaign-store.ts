import { asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { CampaignState } from "../../domain/campaign-state.ts";
import type { CampaignInfo } from "../../domain/snapshot.ts";
import { campaigns, recipients } from "../db/schema.ts";
import type { NewCampaign } from "./new-campaign.ts";
import { recipientConditions, type RecipientFilter } from "./recipient-query.ts";
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
  workspaceId: string,
): Promise<void> {
  const statements = [
    db
      .prepare(
        `INSERT INTO campaigns (id, name, message, state, tier, country,
           gateway_id, total, created_at, workspace_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        info.id,
        info.name,
        input.message,
        info.state,
        info.tier,
        input.country,
        input.gateway,
        info.total,
        info.createdAt,
        workspaceId,
      ),
  ];
  statements.push(...recipientInserts(db, info.id, input.recipients, 0));
  // One batch is one transaction: the campaign appears whole or not at all.
  await callD1("save the campaign", () => db.batch(statements));
}

function recipientInserts(
  db: D1Database,
  campaignId: string,
  recipients: NewCampaign["recipients"],
  firstIndex: number,
): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < recipients.length; i += RECIPIENT_ROWS_PER_INSERT) {
    const rows = recipients.slice(i, i + RECIPIENT_ROWS_PER_INSERT);
    statements.push(insertRecipients(db, campaignId, rows, firstIndex + i));
  }
  return statements;
}

export interface CampaignHead {
  message: string;
  total: number;
  state: string;
  country: string | null;
  workspace_id: string;
  link_key_version: number;
}

export async function campaignHead(db: D1Database, id: string): Promise<CampaignHead | null> {
  return callD1("look up the campaign", () =>
    db
      .prepare(
        "SELECT message, total, state, country, workspace_id, link_key_version " +
          "FROM campaigns WHERE id = ?",
      )
      .bind(id)
      .first<CampaignHead>(),
  );
}

// D1 binds at most 100 parameters; one goes to the campaign id.
const PHONES_PER_LOOKUP = 99;

/** Which of these phones the campaign already has, with their index. */
export async function existingPhones(
  db: D1Database,
  campaignId: string,
  phones: string[],
): Promise<Map<string, number>> {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < phones.length; i += PHONES_PER_LOOKUP) {
    const chunk = phones.slice(i, i + PHONES_PER_LOOKUP);
    statements.push(
      db
        .prepare(
          `SELECT phone, idx FROM recipients WHERE campaign_id = ? ` +
            `AND phone IN (${chunk.map(() => "?").join(",")})`,
        )
        .bind(campaignId, ...chunk),
    );
  }
  const results = await callD1("check for repeated phones", () =>
    db.batch<{ phone: string; idx: number }>(statements),
  );
  return new Map(results.flatMap((r) => r.results.map((row) => [row.phone, row.idx])));
}

/**
 * Adds rows at `offset`, the campaign's count so far. A second upload at
 * the same offset collides on the (campaign, index) key, so the batch, one
 * transaction, rolls back whole: a retried or raced chunk is never added
 * twice.
 */
export async function appendRecipients(
  db: D1Database,
  campaignId: string,
  offset: number,
  recipients: NewCampaign["recipients"],
): Promise<void> {
  const total = offset + recipients.length;
  await callD1("add the recipients", () =>
    db.batch([
      db
        .prepare("UPDATE campaigns SET total = ? WHERE id = ? AND total = ? AND state = 'draft'")
        .bind(total, campaignId, offset),
      ...recipientInserts(db, campaignId, recipients, offset),
    ]),
  );
}

export async function saveCampaignState(db: D1Database, info: CampaignInfo): Promise<void> {
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

export type RecipientRow = Omit<typeof recipients.$inferSelect, "campaignId" | "vars"> & {
  vars: Record<string, string> | null;
};

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
