import { formatCount } from "../lib/format.ts";
import { AnimatedNumber } from "./animated-number.tsx";
import { TickIcon, type TickKind } from "./tick-icon.tsx";

interface CountCardProps {
  kind: TickKind;
  label: string;
  value: number;
  hint: string;
}

export function CountCard({ kind, label, value, hint }: CountCardProps) {
  return (
    <div class={`card count count-${kind}`}>
      <dt>
        <TickIcon kind={kind} />
        {label}
      </dt>
      <dd>
        <AnimatedNumber text={formatCount(value)} />
        <span class="hint">{hint}</span>
      </dd>
    </div>
  );
}
