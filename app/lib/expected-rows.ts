import type { Funnel } from "../../domain/funnel.ts";
import type { Status } from "../../domain/status.ts";
import type { RecipientFilter } from "./recipients-api.ts";
import type { LiveSnapshot } from "./snapshot.ts";

/** Recipients now in exactly `status`, from the funnel; null if unknown. */
function inStatus(status: Status, counts: Funnel): number | null {
  switch (status) {
    case "sent":
      return counts.sent - counts.delivered;
    case "delivered":
      return counts.delivered - counts.read;
    case "read":
      return counts.read - counts.played;
    case "played":
      return counts.played;
    case "failed":
      return counts.failed;
    default:
      // The funnel merges queued and pending; only both together are known.
      return null;
  }
}

/**
 * How many rows a filter selects, from the live counts: exact and current,
 * so the table's scroll range is right before a page is fetched. Null for
 * a search, which only the server can count.
 */
export function expectedRows(filter: RecipientFilter, snapshot: LiveSnapshot): number | null {
  const { counts, failures } = snapshot;
  if (filter.q.trim()) return null;
  if (filter.reason) return failures[filter.reason] ?? null;
  if (filter.statuses.length === 0) return counts.total;
  const statuses = new Set(filter.statuses);
  let rows = 0;
  if (statuses.has("queued") && statuses.has("pending")) {
    statuses.delete("queued");
    statuses.delete("pending");
    rows += counts.pending;
  }
  for (const status of statuses) {
    const count = inStatus(status, counts);
    if (count === null) return null;
    rows += count;
  }
  return rows;
}
