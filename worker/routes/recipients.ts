import { Hono } from "hono";
import { z } from "zod";
import { requireReader, type ReaderEnv } from "../auth/reader.ts";
import { listRecipients } from "../campaigns/campaign-store.ts";
import { recipientCsvStream } from "../campaigns/recipient-csv.ts";
import { recipientFilterSchema, type RecipientFilter } from "../campaigns/recipient-query.ts";
import { recipientFor } from "../campaigns/recipient-view.ts";
import { parseWith } from "../validation.ts";

/**
 * The recipient list and its CSV export. Both take the operator's bearer
 * token or the campaign link's `t=`, so they are registered before the
 * operator-only routes and their middleware.
 */
export const recipientRoutes = new Hono<ReaderEnv>();

const pageSchema = recipientFilterSchema.extend({
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, "pass back the nextCursor of the previous page")
    .optional(),
  // Plain decimal digits only (coercion would take "0x10"); empty means default.
  limit: z
    .string()
    .regex(/^\d{0,3}$/, "a whole number from 1 to 500")
    .transform((text) => (text === "" ? 100 : Number(text)))
    .pipe(z.number().int().min(1, "at least 1").max(500, "at most 500"))
    .default(100),
});

function filterOf(query: z.infer<typeof recipientFilterSchema>, viewer: boolean): RecipientFilter {
  return { statuses: query.status, reason: query.reason, q: query.q, viewer };
}

recipientRoutes.get("/:id/recipients", requireReader, async (c) => {
  const query = parseWith(pageSchema, c.req.query(), "invalid_query");
  // requireReader has checked the campaign exists (and is the reader's).
  const id = c.req.param("id");
  const reader = c.get("reader");
  const filter = filterOf(query, reader === "viewer");
  const page = await listRecipients(c.env.DB, id, filter, {
    after: query.cursor === undefined ? -1 : Number(query.cursor),
    limit: query.limit,
  });
  // The viewer's rows change with every event: never from a cache.
  c.header("Cache-Control", "no-store");
  return c.json({
    recipients: page.rows.map((row) => recipientFor(reader, row)),
    nextCursor: page.nextAfter === null ? null : String(page.nextAfter),
  });
});

recipientRoutes.get("/:id/export.csv", requireReader, async (c) => {
  const query = parseWith(recipientFilterSchema, c.req.query(), "invalid_query");
  const id = c.req.param("id");
  const reader = c.get("reader");
  const stream = recipientCsvStream(c.env.DB, id, filterOf(query, reader === "viewer"), reader);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="ticks-${id}.csv"`,
      "Cache-Control": "no-store",
    },
  });
});
