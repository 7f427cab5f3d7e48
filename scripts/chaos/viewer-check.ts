import { isDeepStrictEqual } from "node:util";
import { liveUrl } from "../../bench/viewers.ts";
import type { Funnel } from "../../domain/funnel.ts";
import type { OperatorClient } from "../operator-client.ts";
import { LiveViewer } from "./live-viewer.ts";
import { recountFunnel } from "./recount.ts";

export interface ViewerReport {
  ok: boolean;
  drops: number;
  reconnects: number;
  failedAttempts: number;
  shown: Funnel | null;
  api: Funnel;
  recounted: Funnel;
}

/** A link viewer of the campaign, connected before it starts. */
export async function openViewer(url: string, id: string, link: string): Promise<LiveViewer> {
  const token = new URL(link).searchParams.get("t") ?? "";
  const viewer = new LiveViewer(liveUrl(url, id, token));
  await viewer.open();
  return viewer;
}

/**
 * Once the campaign settled: the viewer must have come back after the
 * Worker's restart, and its newest snapshot must show what the API and a
 * recount of D1 show.
 */
export async function checkViewer(
  viewer: LiveViewer,
  operator: OperatorClient,
  id: string,
): Promise<ViewerReport> {
  const view = await operator.getCampaign(id);
  const shown = (await viewer.fresh(view.version))?.counts ?? null;
  const recounted = recountFunnel(await operator.statusByPhone(id));
  viewer.close();
  const { drops, reconnects, failedAttempts } = viewer;
  const ok =
    drops >= 1 &&
    reconnects === drops &&
    !viewer.gaveUp &&
    isDeepStrictEqual(shown, view.counts) &&
    isDeepStrictEqual(view.counts, recounted);
  return { ok, drops, reconnects, failedAttempts, shown, api: view.counts, recounted };
}
