import type { Status } from "../../domain/status.ts";

/** The table's status choices: the funnel's stages, each in exactly one. */
export const STATUS_FILTERS: Array<{ label: string; statuses: Status[] }> = [
  { label: "All statuses", statuses: [] },
  { label: "Pending", statuses: ["queued", "pending"] },
  { label: "Sent ✓", statuses: ["sent"] },
  { label: "Delivered ✓✓", statuses: ["delivered"] },
  { label: "Read", statuses: ["read"] },
  { label: "Played", statuses: ["played"] },
  { label: "Failed ✗", statuses: ["failed"] },
];

export function statusFilterKey(statuses: Status[]): string {
  return statuses.join(",");
}
