import { stringify } from "csv-stringify/sync";
import type { Reader } from "../auth/reader.ts";
import { listRecipients, type RecipientRow } from "./campaign-store.ts";
import type { RecipientFilter } from "./recipient-query.ts";
import { recipientFor } from "./recipient-view.ts";

// One D1 query per page; a page's text is the most the stream holds.
const EXPORT_PAGE_ROWS = 1_000;

const STAGES = [
  ["pending_at", "pendingAt"],
  ["sent_at", "sentAt"],
  ["delivered_at", "deliveredAt"],
  ["read_at", "readAt"],
  ["played_at", "playedAt"],
  ["failed_at", "failedAt"],
] as const;

export const CSV_COLUMNS = [
  "index",
  "phone",
  "name",
  "status",
  ...STAGES.map(([column]) => column),
  "failure_reason",
  "failure_detail",
];

function isoOrEmpty(ms: number | null): string {
  return ms === null ? "" : new Date(ms).toISOString();
}

function csvRecord(reader: Reader, stored: RecipientRow): string[] {
  const row = recipientFor(reader, stored);
  return [
    String(row.index),
    row.phone,
    row.name ?? "",
    row.status,
    ...STAGES.map(([, key]) => isoOrEmpty(row[key])),
    row.failureReason ?? "",
    row.failureDetail ?? "",
  ];
}

function csvText(records: string[][], first: boolean): string {
  return stringify(records, {
    header: first,
    columns: CSV_COLUMNS,
    // Excel needs the BOM to read the file as UTF-8 (the mask's dots).
    bom: first,
    // A cell starting with = + - @ would run as a formula in a spreadsheet
    // (OWASP "CSV Injection"); the library prefixes it with a quote.
    escape_formulas: true,
    record_delimiter: "windows",
  });
}

/**
 * The filtered recipients as CSV, read from D1 one keyset page per pull:
 * the stream asks for the next page only when the client has taken the
 * last one, so memory stays at a page whatever the campaign's size.
 */
export function recipientCsvStream(
  db: D1Database,
  campaignId: string,
  filter: RecipientFilter,
  reader: Reader,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: number | null = -1;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const first = after === -1;
      const page = await listRecipients(db, campaignId, filter, {
        after: after ?? -1,
        limit: EXPORT_PAGE_ROWS,
      });
      const records = page.rows.map((row) => csvRecord(reader, row));
      controller.enqueue(encoder.encode(csvText(records, first)));
      after = page.nextAfter;
      if (after === null) controller.close();
    },
  });
}
