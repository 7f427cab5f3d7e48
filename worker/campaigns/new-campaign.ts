import { z } from "zod";
import { missingVariables } from "../../domain/render.ts";
import { isCountry, normalizePhone } from "./phone.ts";
import { asCsvLines, recipientsFromCsv } from "./recipient-csv-input.ts";
import { recipientSchema, type RecipientInput } from "./recipient-schema.ts";
import { lineOfText, messageText } from "./safe-text.ts";
import {
  DEFAULT_SPEED_TIER,
  SPEED_TIER_NAMES,
  type SpeedTierName,
} from "../../domain/speed-tiers.ts";
import { ApiError, type ErrorDetail } from "../errors.ts";
import { parseWith } from "../validation.ts";

export const MAX_RECIPIENTS_PER_REQUEST = 5_000;

const newCampaignSchema = z.object({
  name: lineOfText(200).pipe(z.string().min(1, "a campaign needs a name")),
  message: messageText(4096).pipe(z.string().min(1, "a campaign needs a message")),
  /** ISO 3166 country for numbers written without a country code */
  country: z
    .string()
    .refine(isCountry, "not a supported ISO 3166 country code, e.g. US or PT")
    .optional(),
  tier: z.enum(SPEED_TIER_NAMES).default(DEFAULT_SPEED_TIER),
  /** pins the campaign to one gateway (one WhatsApp number) */
  gateway: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, "a gateway id: 1-64 of A-Z a-z 0-9 . _ -")
    .optional(),
  recipients: z.array(recipientSchema).min(1).max(MAX_RECIPIENTS_PER_REQUEST).optional(),
  /** the list as CSV text instead of `recipients` */
  csv: z.string().optional(),
  /** how long the viewer link given back stays valid */
  linkExpiresInDays: z.number().int().min(1).max(365).default(30),
});

export interface NewRecipient {
  phone: string;
  name: string | null;
  /** the row's other columns, or null when it has none */
  vars: Record<string, string> | null;
}

export interface NewCampaign {
  name: string;
  message: string;
  country: string | null;
  gateway: string | null;
  linkExpiresInDays: number;
  tier: SpeedTierName;
  recipients: NewRecipient[];
}

function otherColumns(row: Record<string, unknown>): Record<string, string> | null {
  const { phone: _, name: __, ...rest } = row;
  const entries = Object.entries(rest).map(([k, v]) => [k, String(v)]);
  return entries.length > 0 ? Object.fromEntries(entries) : null;
}

/**
 * Checks every row and reports all problems at once, so an operator can fix
 * a list in one pass; nothing is written unless every row is good.
 */
export function parseNewCampaign(body: unknown): NewCampaign {
  const input = parseWith(newCampaignSchema, body);
  const country = input.country ?? null;
  const recipients = recipientsOf(input, country);
  const { name, message, tier } = input;
  const gateway = input.gateway ?? null;
  const linkExpiresInDays = input.linkExpiresInDays;
  return { name, message, country, tier, gateway, linkExpiresInDays, recipients };
}

function recipientsOf(
  input: z.infer<typeof newCampaignSchema>,
  country: string | null,
): NewRecipient[] {
  if (input.recipients && input.csv === undefined) {
    return checkRecipients(input.message, input.recipients, 0, country);
  }
  if (input.csv !== undefined && !input.recipients) {
    const csv = recipientsFromCsv(input.csv);
    if (csv.recipients.length > MAX_RECIPIENTS_PER_REQUEST) {
      throw tooManyRows(csv.recipients.length);
    }
    try {
      return checkRecipients(input.message, csv.recipients, 0, country);
    } catch (err) {
      throw asCsvLines(err, csv.lines, 0);
    }
  }
  throw new ApiError(
    400,
    "invalid_body",
    "send the list as either `recipients` (JSON rows) or `csv` (CSV text), not both",
  );
}

export function tooManyRows(count: number): ApiError {
  return new ApiError(
    400,
    "too_many_recipients",
    `${count} rows in one request; send at most ${MAX_RECIPIENTS_PER_REQUEST} ` +
      "and the rest in chunks (POST /api/campaigns/:id/recipients)",
  );
}

export const appendSchema = z.object({
  /** the index the first row gets: the campaign's recipient count so far */
  offset: z.number().int().min(0),
  recipients: z.array(recipientSchema).min(1).max(MAX_RECIPIENTS_PER_REQUEST),
});

/**
 * Normalizes rows numbered from `firstRow`, or throws one error listing
 * every bad row. `taken` names phones the campaign already has, by row.
 */
export function checkRecipients(
  message: string,
  rows: RecipientInput[],
  firstRow: number,
  country: string | null,
  taken: Map<string, number> = new Map(),
): NewRecipient[] {
  const details: ErrorDetail[] = [];
  const seen = new Map(taken);
  const recipients = rows.map((row, i) => {
    const phone = normalizePhone(row.phone, country);
    const name = row.name || null;
    const vars = otherColumns(row);
    const values = { ...vars, name: name ?? undefined, phone: phone ?? undefined };
    const problem = rowProblem(message, phone, values, seen.get(phone ?? ""));
    if (problem) {
      details.push({
        row: firstRow + i,
        field: `recipients[${i}].${problem.field}`,
        value: row.phone,
        reason: problem.reason,
      });
    } else {
      seen.set(phone!, firstRow + i);
    }
    return { phone: phone ?? "", name, vars };
  });
  if (details.length > 0) {
    throw new ApiError(
      400,
      "invalid_recipients",
      `${details.length} recipient row(s) are invalid; fix them and send the ` +
        "list again (nothing was saved)",
      details,
    );
  }
  return recipients;
}

function rowProblem(
  message: string,
  phone: string | null,
  values: Record<string, string | undefined>,
  duplicateOf: number | undefined,
): { field: string; reason: string } | null {
  if (!phone) {
    return {
      field: "phone",
      reason:
        "not a possible phone number; write it with its country code, " +
        "e.g. +15550001111, or set the campaign's country",
    };
  }
  if (duplicateOf !== undefined) {
    return { field: "phone", reason: `same phone as row ${duplicateOf}` };
  }
  const missing = missingVariables(message, values);
  if (missing.length > 0) {
    return {
      field: missing[0]!,
      reason: `the message uses {{${missing.join("}}, {{")}}} but this row has none`,
    };
  }
  return null;
}
