import type { GatewayHealth as Health } from "../../domain/snapshot.ts";
import { GATEWAY_LABELS, labelOf } from "../lib/labels.ts";

/** The WhatsApp sessions sending this campaign, one line each. */
export function GatewayHealth({ gateways }: { gateways: Health[] }) {
  if (gateways.length === 0) return null;
  return (
    <ul class="gateways" aria-label="Gateways">
      {gateways.map((gateway) => (
        <li key={gateway.id} class={`gateway gateway-${gateway.state}`}>
          <span class="gateway-dot" aria-hidden="true" />
          <span>
            Gateway <strong>{gateway.id}</strong>: {labelOf(GATEWAY_LABELS, gateway.state)}
            {gateway.reason ? ` (${gateway.reason})` : ""}
          </span>
        </li>
      ))}
    </ul>
  );
}
