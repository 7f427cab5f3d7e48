import type { Refusal } from "../lib/use-live-campaign.ts";
import { Notice } from "./notice.tsx";

const TITLES: Record<number, string> = {
  4001: "This link does not work",
  4004: "Campaign not found",
};

const FALLBACK_REASONS: Record<number, string> = {
  4001: "The link is wrong or has expired.",
  4004: "There is no campaign at this link.",
};

/** Why the server turned the live connection down, in its own words. */
export function RefusalNotice({ refusal }: { refusal: Refusal }) {
  const { code, reason, final } = refusal;
  const title = TITLES[code] ?? "The server refused the connection";
  const text = reason || FALLBACK_REASONS[code] || `Close code ${code}.`;
  return (
    <Notice title={title} tone="error">
      <p class="refusal-reason">{text}</p>
      <p>{final ? "Ask the sender of the campaign for a new link." : "Trying again shortly."}</p>
    </Notice>
  );
}
