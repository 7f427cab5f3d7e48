import { expectedRows } from "../lib/expected-rows.ts";
import { formatCount } from "../lib/format.ts";
import { exportUrl, type CampaignAccess, type RecipientFilter } from "../lib/recipients-api.ts";
import { PAGE_ROWS, type RecipientPages } from "../lib/recipient-pages.ts";
import type { LiveSnapshot } from "../lib/snapshot.ts";
import { useDebounced } from "../lib/use-debounced.ts";
import { useRecipientPages } from "../lib/use-recipient-pages.ts";
import { useThrottled } from "../lib/use-throttled.ts";
import { RecipientFilters } from "./recipient-filters.tsx";
import { RecipientTable } from "./recipient-table.tsx";

// Rows in view are refetched at most this often while events stream in.
const REFRESH_EVERY_MS = 1_000;
const SEARCH_SETTLES_MS = 250;

function countText(
  expected: number | null,
  known: ReturnType<RecipientPages["knownRows"]>,
): string {
  if (expected !== null) return `${formatCount(expected)} recipients`;
  if (known === null) return "Searching…";
  if (known.complete) return `${formatCount(known.rows)} recipients`;
  return `more than ${formatCount(known.rows - PAGE_ROWS)} recipients`;
}

interface RecipientSectionProps {
  access: CampaignAccess;
  snapshot: LiveSnapshot;
  filter: RecipientFilter;
  onFilter(filter: RecipientFilter): void;
}

export function RecipientSection(props: RecipientSectionProps) {
  const { access, snapshot, filter, onFilter } = props;
  const q = useDebounced(filter.q, SEARCH_SETTLES_MS);
  const applied = { ...filter, q };
  const { pages, redraw } = useRecipientPages(access, applied);
  const version = useThrottled(snapshot.version, REFRESH_EVERY_MS);
  const expected = expectedRows(applied, snapshot);
  const known = pages.knownRows();
  const count = expected ?? known?.rows ?? 0;
  return (
    <section class="panel recipients" id="recipients" aria-labelledby="recipients-title">
      <div class="section-head">
        <h2 id="recipients-title">Recipients</h2>
        <a class="button" href={exportUrl(access, applied)} download>
          Export CSV
        </a>
      </div>
      <RecipientFilters filter={filter} onChange={onFilter} />
      <p class="table-count muted">{countText(expected, known)}</p>
      {pages.error ? (
        <p class="table-error" role="alert">
          {pages.error}; trying again shortly.
        </p>
      ) : null}
      <RecipientTable pages={pages} count={count} version={version} redraw={redraw} />
    </section>
  );
}
