import { Hono } from "hono";
import { requireOperator } from "../auth/operator.ts";
import { ownedCampaign } from "../campaigns/campaign-access.ts";
import { appendRecipients, campaignHead, existingPhones } from "../campaigns/campaign-store.ts";
import {
  appendSchema,
  checkRecipients,
  MAX_RECIPIENTS_PER_REQUEST,
  tooManyRows,
} from "../campaigns/new-campaign.ts";
import { asCsvLines, recipientsFromCsv } from "../campaigns/recipient-csv-input.ts";
import type { RecipientInput } from "../campaigns/recipient-schema.ts";
import { normalizePhone } from "../campaigns/phone.ts";
import { callRoom, roomOf } from "../campaigns/room.ts";
import { limitRecipientList } from "../body-limits.ts";
import type { AppEnv, Env } from "../env.ts";
import { ApiError, notFound } from "../errors.ts";
import { parseWith, readJsonBody } from "../validation.ts";

export const recipientUploadRoutes = new Hono<AppEnv>();

/**
 * Large lists arrive in chunks: create the campaign with the first chunk,
 * then post each next one with `offset` = the count so far. A chunk whose
 * offset is stale (already added, or raced) is refused with 409 and the
 * count to continue from, so an uploader can resume after any failure.
 */
recipientUploadRoutes.post("/:id/recipients", requireOperator, limitRecipientList, async (c) => {
  const id = c.req.param("id");
  await ownedCampaign(c.env.DB, c.var.operator, id);
  const isCsv = /^text\/csv\b/i.test(c.req.header("Content-Type") ?? "");
  const total = isCsv
    ? await appendCsv(c.env, id, c.req.query("offset"), await c.req.text())
    : await appendJson(c.env, id, await readJsonBody(c.req.raw));
  return c.json({ total }, 201);
});

async function appendJson(env: Env, id: string, body: unknown): Promise<number> {
  const input = parseWith(appendSchema, body);
  return appendChunk(env, id, input.offset, input.recipients);
}

/** `Content-Type: text/csv` with `?offset=`: the same chunk as CSV rows. */
async function appendCsv(
  env: Env,
  id: string,
  offsetText: string | undefined,
  text: string,
): Promise<number> {
  if (!offsetText || !/^\d{1,9}$/.test(offsetText)) {
    throw new ApiError(400, "invalid_query", "add ?offset=<the campaign's count so far>");
  }
  const csv = recipientsFromCsv(text);
  if (csv.recipients.length > MAX_RECIPIENTS_PER_REQUEST) {
    throw tooManyRows(csv.recipients.length);
  }
  const offset = Number(offsetText);
  try {
    return await appendChunk(env, id, offset, csv.recipients);
  } catch (err) {
    throw asCsvLines(err, csv.lines, offset);
  }
}

async function appendChunk(
  env: Env,
  id: string,
  offset: number,
  input: RecipientInput[],
): Promise<number> {
  const head = await campaignHead(env.DB, id);
  if (!head) throw notFound(`campaign ${id}`);
  if (head.state !== "draft") {
    throw new ApiError(
      409,
      "not_draft",
      `recipients can only be added to a draft; this campaign is ${head.state}`,
    );
  }
  const room = roomOf(env, id);
  // Heal an object that missed an earlier chunk's count (D1 is written first).
  await callRoom("take the new count", () => room.setTotal(head.total));
  if (offset !== head.total) throw staleOffset(head.total);
  const phones = input.map((r) => normalizePhone(r.phone, head.country) ?? "");
  const taken = await existingPhones(env.DB, id, phones.filter(Boolean));
  const rows = checkRecipients(head.message, input, offset, head.country, taken);
  try {
    await appendRecipients(env.DB, id, offset, rows);
  } catch (err) {
    if (/SQLITE_CONSTRAINT/.test(String(err))) throw raced(head.total);
    throw err;
  }
  const total = offset + rows.length;
  await callRoom("take the new count", () => room.setTotal(total));
  return total;
}

function staleOffset(total: number): ApiError {
  return new ApiError(
    409,
    "offset_mismatch",
    `this campaign has ${total} recipients; send the next chunk with offset ${total}`,
  );
}

function raced(total: number): ApiError {
  return new ApiError(
    409,
    "offset_mismatch",
    `another upload added recipients at the same time; read the campaign's ` +
      `total (was ${total}) and send the chunk again with that offset`,
  );
}
