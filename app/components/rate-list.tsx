import type { Funnel, Rates } from "../../domain/funnel.ts";
import { formatRate } from "../lib/format.ts";
import { AnimatedNumber } from "./animated-number.tsx";

interface RateListProps {
  counts: Funnel;
  rates: Rates;
}

export function RateList({ counts, rates }: RateListProps) {
  const items = [
    {
      label: "Delivery rate",
      value: formatRate(rates.delivery, counts.sent),
      hint: "delivered of sent",
    },
    {
      label: "Read rate",
      qualifier: "at least",
      value: formatRate(rates.read, counts.delivered),
      hint: "read of delivered; people can turn read receipts off",
    },
    {
      label: "Success rate",
      value: formatRate(rates.success, counts.sent + counts.failed),
      hint: "sent of all attempted",
    },
  ];
  return (
    <dl class="rate-list">
      {items.map((item) => (
        <div class="card rate" key={item.label}>
          <dt>{item.label}</dt>
          <dd>
            {item.qualifier ? (
              <span class="qualifier">{item.qualifier}</span>
            ) : null}
            <AnimatedNumber text={item.value} />
            <span class="hint">{item.hint}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}
