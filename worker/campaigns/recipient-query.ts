import { and, eq, gt, inArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { FAILURE_REASONS, type FailureReason } from "../../domain/failure.ts";
import { STATUSES, type Status } from "../../domain/status.ts";
import { recipients } from "../db/schema.ts";

/** Which recipients a list or an export selects; all fields narrow it. */
export interface RecipientFilter {
  statuses?: Status[];
  reason?: FailureReason;
  /** a name fragment, or phone digits */
  q?: string;
  /** viewers search phones only among the digits they can see */
  viewer: boolean;
}

const statusList = z
  .string()
  .transform((text) => text.split(",").filter(Boolean))
  .pipe(z.array(z.enum(STATUSES, { error: `use ${STATUSES.join(", ")}` })).min(1));

/** The query fields shared by the recipients list and the CSV export. */
export const recipientFilterSchema = z.object({
  status: statusList.optional(),
  reason: z.enum(FAILURE_REASONS, { error: `use ${FAILURE_REASONS.join(", ")}` }).optional(),
  q: z
    .string()
    .trim()
    .max(100)
    .transform((text) => text || undefined)
    .optional(),
});

// Visible digits of a masked phone (domain/phone-mask.ts) are the last
// four; matching more would let a viewer learn hidden digits by searching.
const VIEWER_PHONE_DIGITS = 4;
const PHONE_QUERY = /^[\d\s+().-]+$/;

function searchCondition(q: string, viewer: boolean): SQL {
  // SQLite's lower() folds ASCII only; names in other scripts match as typed.
  const byName = sql`instr(lower(${recipients.name}), lower(${q})) > 0`;
  const digits = PHONE_QUERY.test(q) ? q.replace(/\D/g, "") : "";
  if (digits === "") return byName;
  if (!viewer) {
    return or(byName, sql`instr(${recipients.phone}, ${digits}) > 0`)!;
  }
  if (digits.length > VIEWER_PHONE_DIGITS) return byName;
  const tail = sql`substr(${recipients.phone}, ${-VIEWER_PHONE_DIGITS})`;
  return or(byName, sql`instr(${tail}, ${digits}) > 0`)!;
}

/**
 * The WHERE clause of one keyset page: rows after `after` in list order.
 * `reason` matches the current failure only, like the page's failure
 * groups: a message delivered after a failure keeps its reason as history.
 */
export function recipientConditions(
  campaignId: string,
  filter: RecipientFilter,
  after: number,
): SQL {
  const conditions = [eq(recipients.campaignId, campaignId), gt(recipients.index, after)];
  if (filter.statuses) {
    conditions.push(inArray(recipients.status, filter.statuses));
  }
  if (filter.reason) {
    conditions.push(eq(recipients.status, "failed"));
    conditions.push(eq(recipients.failureReason, filter.reason));
  }
  if (filter.q) conditions.push(searchCondition(filter.q, filter.viewer));
  return and(...conditions)!;
}
