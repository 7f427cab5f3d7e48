import type { Funnel } from "../domain/funnel.ts";
import type { Status } from "../domain/status.ts";

/** The operator routes of docs/api.md that replays and checks need. */
export interface OperatorTarget {
  url: string;
  operatorToken: string;
}

export interface NewCampaign {
  name: string;
  message: string;
  recipients: Array<{ phone: string; name?: string }>;
}

type CampaignAction = "start" | "pause" | "resume" | "cancel";

interface CampaignView {
  counts: Funnel;
  version: number;
  campaign: { state: string };
}

interface RecipientPage {
  recipients: Array<{ phone: string; status: Status }>;
  nextCursor: string | null;
}

export class OperatorClient {
  constructor(private readonly target: OperatorTarget) {}

  createCampaign(campaign: NewCampaign): Promise<{ id: string; link: string }> {
    return this.call("POST", "/api/campaigns", campaign);
  }

  async move(id: string, action: CampaignAction): Promise<void> {
    await this.call("POST", `/api/campaigns/${id}/${action}`, {});
  }

  getCampaign(id: string): Promise<CampaignView> {
    return this.call("GET", `/api/campaigns/${id}`);
  }

  /** Every recipient's status, following `nextCursor` to the last page. */
  async statusByPhone(id: string): Promise<Record<string, Status>> {
    const statuses: Record<string, Status> = {};
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: "500" });
      if (cursor) query.set("cursor", cursor);
      const path = `/api/campaigns/${id}/recipients?${query}`;
      const page: RecipientPage = await this.call("GET", path);
      for (const row of page.recipients) statuses[row.phone] = row.status;
      cursor = page.nextCursor;
    } while (cursor !== null);
    return statuses;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, this.target.url), {
      method,
      headers: {
        authorization: `Bearer ${this.target.operatorToken}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (!response.ok) {
      const answer = `${response.status}: ${text.slice(0, 500)}`;
      throw new Error(`${method} ${path} answered ${answer}`);
    }
    return JSON.parse(text) as T;
  }
}
