import { formatCount } from "../lib/format.ts";
import { AnimatedNumber } from "./animated-number.tsx";
import { TickIcon, type TickKind } from "./tick-icon.tsx";

interface CountCardProps {
  kind: TickKind | "played";
  label: string;
  value: number;
  /** e.g. "at least 38 % of delivered" */
  rate: string;
  hint: string;
}

export function CountCard({ kind, label, value, rate, hint }: CountCardProps) {
  return (
    <div class={`card count count-${kind}`}>
      <dt>
        <TickIcon kind={kind === "played" ? "read" : kind} />
        {label}
      </dt>
      <dd>
        <AnimatedNumber text={formatCount(value)} />
        <span class="rate-line">{rate}</span>
        <span class="hint">{hint}</span>
      </dd>
    </div>
  );
}
