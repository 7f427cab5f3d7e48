import { parse } from "csv-parse/sync";
import { ApiError, type ErrorDetail } from "../errors.ts";
import { recipientSchema, type RecipientInput } from "./recipient-schema.ts";

export interface CsvRows {
  rows: Array<Record<string, string>>;
  /** the file line each row starts on, for error messages */
  lines: number[];
}

/** The header's own choice: whichever of `;` and `,` it uses more. */
function delimiterOf(text: string): "," | ";" {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const count = (c: string) => header.split(c).length;
  return count(";") > count(",") ? ";" : ",";
}

/** Header names as columns: `phone` and `name` in any case, others as given. */
function columnName(header: string): string {
  const name = header.trim();
  const lower = name.toLowerCase();
  return lower === "phone" || lower === "name" ? lower : name;
}

function csvError(message: string, details?: ErrorDetail[]): ApiError {
  return new ApiError(400, "invalid_csv", message, details);
}

/**
 * Reads a recipient list sent as CSV: a header row naming the columns
 * (one must be `phone`), UTF-8 with or without a byte order mark, fields
 * separated by commas or semicolons. Rows then go through the same checks
 * as JSON rows.
 */
export function parseRecipientCsv(text: string): CsvRows {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      delimiter: delimiterOf(text.replace(/^\uFEFF/, "")),
      columns: (header: string[]) => header.map(columnName),
      skip_empty_lines: true,
      trim: true,
      info: true,
    });
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    const where = line ? ` on line ${line}` : "";
    throw csvError(`the CSV cannot be read${where}: ${(err as Error).message}`);
  }
  if (records.length === 0) throw csvError("the CSV has a header but no rows");
  if (!("phone" in records[0]!.record)) {
    throw csvError("the CSV's header row needs a `phone` column");
  }
  return {
    rows: records.map((r) => r.record),
    lines: records.map((r) => r.info.lines),
  };
}

/**
 * Each CSV row checked like a JSON row; every problem is reported with its
 * file line at once.
 */
export function recipientsFromCsv(text: string): CsvRows & { recipients: RecipientInput[] } {
  const csv = parseRecipientCsv(text);
  const details: ErrorDetail[] = [];
  const recipients = csv.rows.map((row, i) => {
    const result = recipientSchema.safeParse(row);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const field = issue.path.map(String).join(".") || "(row)";
      details.push({ line: csv.lines[i], field, reason: issue.message });
    }
    return null;
  });
  if (details.length > 0) {
    throw csvError(
      `${details.length} problem(s) in the CSV; fix them and upload it again (nothing was saved)`,
      details,
    );
  }
  return { ...csv, recipients: recipients as RecipientInput[] };
}

/** Restates row-numbered problems as file lines, which is what a user sees. */
export function asCsvLines(err: unknown, lines: number[], firstRow: number): unknown {
  if (!(err instanceof ApiError) || !err.details) return err;
  const details = err.details.map((detail) => {
    const line = detail.row === undefined ? undefined : lines[detail.row - firstRow];
    return { ...detail, line, field: detail.field.replace(/^recipients\[\d+\]\./, "") };
  });
  return new ApiError(err.status, err.code, err.message.replace("row(s)", "line(s)"), details);
}
