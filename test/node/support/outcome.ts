import { statusOfEvent, type GatewayEvent } from "../../../domain/events.ts";
import { funnelFromStatusCounts } from "../../../domain/funnel.ts";
import { applyStatus, emptyStatusCounts, type Status } from "../../../domain/status.ts";
import type { Trace } from "../../../gateway/client/trace-file.ts";

/** What the Worker would make of the events: each recipient's highest status. */
export function outcome(trace: Trace, events: GatewayEvent[]) {
  const statuses = trace.recipients.map((): Status => "queued");
  for (const event of events) {
    if (event.type === "session") continue;
    statuses[event.recipient] = applyStatus(statuses[event.recipient]!, statusOfEvent(event));
  }
  const counts = emptyStatusCounts();
  for (const status of statuses) counts[status] += 1;
  const status = Object.fromEntries(trace.recipients.map(({ phone }, n) => [phone, statuses[n]]));
  return { counts: funnelFromStatusCounts(counts), status };
}
