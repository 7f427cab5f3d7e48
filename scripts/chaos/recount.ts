import { funnelFromStatusCounts, type Funnel } from "../../domain/funnel.ts";
import { emptyStatusCounts, type Status } from "../../domain/status.ts";

/** The funnel of D1's statuses, as `GET /recipients` pages them out. */
export function recountFunnel(statuses: Record<string, Status>): Funnel {
  const counts = emptyStatusCounts();
  for (const status of Object.values(statuses)) counts[status] += 1;
  return funnelFromStatusCounts(counts);
}
