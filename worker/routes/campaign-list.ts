import { Hono } from "hono";
import { z } from "zod";
import { requireOperator } from "../auth/operator.ts";
import { callD1 } from "../campaigns/room.ts";
import type { AppEnv } from "../env.ts";
import { parseWith } from "../validation.ts";

export const campaignListRoutes = new Hono<AppEnv>();

const listQuery = z.object({
  cursor: z
    .string()
    .regex(/^\d{1,15}\.c_[a-z0-9]{16}$/, "pass back the nextCursor of the previous page")
    .optional(),
  limit: z
    .string()
    .regex(/^\d{0,3}$/, "a whole number from 1 to 200")
    .transform((text) => (text === "" ? 50 : Number(text)))
    .pipe(z.number().int().min(1, "at least 1").max(200, "at most 200"))
    .default(50),
});

interface CampaignRow {
  id: string;
  name: string;
  state: string;
  tier: string;
  total: number;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
}

/**
 * The workspace's campaigns, newest first, a page at a time. Only the
 * token's own workspace is listed; counts come from each campaign's read.
 */
campaignListRoutes.get("/", requireOperator, async (c) => {
  const query = parseWith(listQuery, c.req.query(), "invalid_query");
  // Newest first by (created_at, id), so campaigns made in the same
  // millisecond are neither skipped nor repeated across pages.
  const [at, id] = query.cursor?.split(".") ?? [String(Number.MAX_SAFE_INTEGER), "~"];
  const { results } = await callD1("list campaigns", () =>
    c.env.DB.prepare(
      `SELECT id, name, state, tier, total, created_at AS createdAt,
         started_at AS startedAt, completed_at AS completedAt
       FROM campaigns WHERE workspace_id = ?1
         AND (created_at < ?2 OR (created_at = ?2 AND id < ?3))
       ORDER BY created_at DESC, id DESC LIMIT ?4`,
    )
      .bind(c.var.operator.workspaceId, Number(at), id, query.limit + 1)
      .all<CampaignRow>(),
  );
  const page = results.slice(0, query.limit);
  const more = results.length > query.limit;
  const last = page.at(-1);
  const nextCursor = more && last ? `${last.createdAt}.${last.id}` : null;
  return c.json({ campaigns: page, nextCursor });
});
