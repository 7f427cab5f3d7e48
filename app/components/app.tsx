import { routeFromLocation } from "../lib/route.ts";
import { CampaignPage } from "./campaign-page.tsx";
import { IncompleteLink } from "./incomplete-link.tsx";
import { Landing } from "./landing.tsx";

/** Picks the page once, from the address the browser opened. */
export function App() {
  const route = routeFromLocation(location.pathname, location.search);
  switch (route.kind) {
    case "campaign":
      return <CampaignPage campaignId={route.campaignId} token={route.token} />;
    case "incomplete-link":
      return <IncompleteLink missing={route.missing} />;
    case "landing":
      return <Landing />;
  }
}
