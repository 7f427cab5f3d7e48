import type { LatencyPercentiles } from "../../domain/snapshot.ts";
import { formatDuration } from "../lib/format.ts";
import type { LiveSnapshot } from "../lib/snapshot.ts";

function spanOrDash(ms: number | null): string {
  return ms === null ? "–" : formatDuration(ms);
}

function LatencyRow(props: { label: string; value: LatencyPercentiles }) {
  const { label, value } = props;
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{spanOrDash(value.p50)}</td>
      <td>{spanOrDash(value.p90)}</td>
    </tr>
  );
}

/** How long messages take to arrive and to be read, from the send. */
export function LatencyList({ latency }: { latency: LiveSnapshot["latency"] }) {
  return (
    <table class="latency">
      <caption>Time from the send</caption>
      <thead>
        <tr>
          <td />
          <th scope="col">Median</th>
          <th scope="col">90% within</th>
        </tr>
      </thead>
      <tbody>
        <LatencyRow label="to deliver" value={latency.deliver} />
        <LatencyRow label="to read" value={latency.read} />
      </tbody>
    </table>
  );
}
