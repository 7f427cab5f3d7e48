import { useEffect, useMemo, useReducer } from "preact/hooks";
import { RecipientPages, PAGE_ROWS } from "./recipient-pages.ts";
import { fetchRecipientPage, type CampaignAccess, type RecipientFilter } from "./recipients-api.ts";

function isDense(filter: RecipientFilter): boolean {
  return filter.statuses.length === 0 && !filter.reason && !filter.q.trim();
}

/**
 * The recipient pages of one filtered view; a new filter starts afresh and
 * cancels what the old one was still fetching. `redraw` changes whenever a
 * page arrives, so the table renders again.
 */
export function useRecipientPages(access: CampaignAccess, filter: RecipientFilter) {
  const [redraw, bump] = useReducer((n: number, _: void) => n + 1, 0);
  const pageArrived = () => bump();
  const key = JSON.stringify(filter);
  const pages = useMemo(
    () =>
      new RecipientPages(
        (cursor, signal) =>
          fetchRecipientPage(access, filter, { cursor, limit: PAGE_ROWS }, signal),
        isDense(filter),
        pageArrived,
      ),
    [access.campaignId, access.token, key],
  );
  useEffect(() => () => pages.dispose(), [pages]);
  return { pages, redraw };
}
