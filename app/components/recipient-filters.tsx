import { FAILURE_REASONS, type FailureReason } from "../../domain/failure.ts";
import type { Status } from "../../domain/status.ts";
import { FAILURE_LABELS } from "../lib/labels.ts";
import type { RecipientFilter } from "../lib/recipients-api.ts";
import { STATUS_FILTERS, statusFilterKey } from "../lib/status-filters.ts";

interface RecipientFiltersProps {
  filter: RecipientFilter;
  onChange(filter: RecipientFilter): void;
}

function statusesOf(key: string): Status[] {
  return key === "" ? [] : (key.split(",") as Status[]);
}

/** Status, failure reason and search; a reason implies "failed". */
export function RecipientFilters({ filter, onChange }: RecipientFiltersProps) {
  const pickStatus = (key: string) => {
    const statuses = statusesOf(key);
    const reason = key === "failed" ? filter.reason : null;
    onChange({ ...filter, statuses, reason });
  };
  const pickReason = (value: string) => {
    const reason = (value || null) as FailureReason | null;
    const statuses: Status[] = reason ? ["failed"] : filter.statuses;
    onChange({ ...filter, statuses, reason });
  };
  return (
    <div class="filters">
      <label>
        <span class="filter-label">Status</span>
        <select
          value={statusFilterKey(filter.statuses)}
          onChange={(e) => pickStatus(e.currentTarget.value)}
        >
          {STATUS_FILTERS.map(({ label, statuses }) => (
            <option key={label} value={statusFilterKey(statuses)}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span class="filter-label">Failure reason</span>
        <select value={filter.reason ?? ""} onChange={(e) => pickReason(e.currentTarget.value)}>
          <option value="">Any reason</option>
          {FAILURE_REASONS.map((reason) => (
            <option key={reason} value={reason}>
              {FAILURE_LABELS[reason]}
            </option>
          ))}
        </select>
      </label>
      <label class="filter-search">
        <span class="filter-label">Search</span>
        <input
          type="search"
          placeholder="Name or phone"
          value={filter.q}
          onInput={(e) => onChange({ ...filter, q: e.currentTarget.value })}
        />
      </label>
    </div>
  );
}
