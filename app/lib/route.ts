/** What the address bar asks the page to show. */
export type Route =
  | { kind: "landing" }
  | { kind: "campaign"; campaignId: string; token: string }
  | { kind: "incomplete-link"; missing: "campaign" | "token" };

const CAMPAIGN_PATH = /^\/c(?:\/([^/]*))?\/?$/;

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A broken %-escape is kept as typed; the server will refuse the id.
    return segment;
  }
}

export function routeFromLocation(pathname: string, search: string): Route {
  const match = CAMPAIGN_PATH.exec(pathname);
  if (match === null) return { kind: "landing" };
  const campaignId = decodeSegment(match[1] ?? "").trim();
  if (campaignId === "") {
    return { kind: "incomplete-link", missing: "campaign" };
  }
  const token = new URLSearchParams(search).get("t")?.trim() ?? "";
  if (token === "") return { kind: "incomplete-link", missing: "token" };
  return { kind: "campaign", campaignId, token };
}

/** The live socket of a campaign on this origin, ws: or wss: like the page. */
export function liveSocketUrl(
  location: Pick<Location, "protocol" | "host">,
  campaignId: string,
  token: string,
): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const id = encodeURIComponent(campaignId);
  const query = new URLSearchParams({ t: token });
  return `${scheme}//${location.host}/api/campaigns/${id}/live?${query}`;
}
