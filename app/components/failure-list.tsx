import type { FailureReason } from "../../domain/failure.ts";
import { formatCount } from "../lib/format.ts";
import { FAILURE_LABELS, labelOf } from "../lib/labels.ts";
import type { LiveSnapshot } from "../lib/snapshot.ts";

interface FailureListProps {
  failures: LiveSnapshot["failures"];
  /** shows the recipients failed for that reason in the table */
  onPick(reason: FailureReason): void;
}

/** Failed recipients grouped by reason, most common first. */
export function FailureList({ failures, onPick }: FailureListProps) {
  const groups = Object.entries(failures)
    .filter(([, count]) => (count ?? 0) > 0)
    .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0)) as Array<[FailureReason, number]>;
  return (
    <section class="panel failures" aria-labelledby="failures-title">
      <h2 id="failures-title">Failures by reason</h2>
      {groups.length === 0 ? (
        <p class="muted">No failures.</p>
      ) : (
        <ul>
          {groups.map(([reason, count]) => (
            <li key={reason}>
              <button type="button" class="link" onClick={() => onPick(reason)}>
                {labelOf(FAILURE_LABELS, reason)}
              </button>
              <span class="failure-count">{formatCount(count)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
