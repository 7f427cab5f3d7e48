import type { FailureReason } from "../../domain/failure.ts";
import type { Status } from "../../domain/status.ts";

/** A recipient as a link viewer gets it (docs/api.md). */
export interface RecipientRow {
  index: number;
  phone: string;
  name: string | null;
  status: Status;
  pendingAt: number | null;
  sentAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
  playedAt: number | null;
  failedAt: number | null;
  failureReason: FailureReason | null;
}

export interface RecipientPage {
  recipients: RecipientRow[];
  nextCursor: string | null;
}

/** What the table shows; every field narrows it. */
export interface RecipientFilter {
  statuses: Status[];
  reason: FailureReason | null;
  q: string;
}

export interface CampaignAccess {
  campaignId: string;
  token: string;
}

function filterParams(access: CampaignAccess, filter: RecipientFilter) {
  const params = new URLSearchParams({ t: access.token });
  if (filter.statuses.length > 0) {
    params.set("status", filter.statuses.join(","));
  }
  if (filter.reason) params.set("reason", filter.reason);
  if (filter.q.trim()) params.set("q", filter.q.trim());
  return params;
}

function campaignPath(access: CampaignAccess, rest: string): string {
  return `/api/campaigns/${encodeURIComponent(access.campaignId)}/${rest}`;
}

export function exportUrl(access: CampaignAccess, filter: RecipientFilter): string {
  const query = filterParams(access, filter);
  return `${campaignPath(access, "export.csv")}?${query}`;
}

export async function fetchRecipientPage(
  access: CampaignAccess,
  filter: RecipientFilter,
  page: { cursor: string | null; limit: number },
  signal: AbortSignal,
): Promise<RecipientPage> {
  const params = filterParams(access, filter);
  params.set("limit", String(page.limit));
  if (page.cursor !== null) params.set("cursor", page.cursor);
  const url = `${campaignPath(access, "recipients")}?${params}`;
  const res = await fetch(url, { signal });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    const message = body?.error?.message ?? `HTTP ${res.status}`;
    throw new Error(`the recipients could not load: ${message}`);
  }
  return res.json();
}
