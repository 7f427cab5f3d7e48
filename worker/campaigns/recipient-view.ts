import { maskPhone, maskPhonesIn } from "../../domain/phone-mask.ts";
import type { Reader } from "../auth/reader.ts";
import type { RecipientRow } from "./campaign-store.ts";

/** A recipient as a link viewer may see it: masked phone, no variables. */
export type ViewerRow = Omit<RecipientRow, "vars">;

/**
 * The operator gets the row as stored. A viewer gets phones masked, in the
 * failure detail too (send errors can quote the chat id), and no `vars`,
 * which are the operator's own columns (codes, orders, addresses).
 */
export function recipientFor(reader: Reader, row: RecipientRow): RecipientRow | ViewerRow {
  if (reader === "operator") return row;
  const { vars: _, ...shown } = row;
  return {
    ...shown,
    phone: maskPhone(row.phone),
    failureDetail: row.failureDetail && maskPhonesIn(row.failureDetail),
  };
}
