import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, BASE, createCampaign, ev, postEvents, startCampaign } from "./helpers.ts";

interface Row {
  index: number;
  phone: string;
  name: string;
  status: string;
  vars?: unknown;
  failureReason: string | null;
  failureDetail: string | null;
}

interface Page {
  recipients: Row[];
  nextCursor: string | null;
}

function tokenOf(link: string): string {
  return new URL(link).searchParams.get("t")!;
}

function asViewer(path: string, token: string): Promise<Response> {
  const join = path.includes("?") ? "&" : "?";
  return SELF.fetch(`${BASE}${path}${join}t=${encodeURIComponent(token)}`);
}

/** A started campaign: 0-1 read, 2 delivered, 3 failed, the rest queued. */
async function campaignWithProgress(count = 8) {
  const created = await createCampaign(count);
  await startCampaign(created.id);
  const campaignId = created.id;
  const res = await postEvents([
    ev({ type: "ack", campaignId, recipient: 0, messageId: "3EB0A0", status: "read" }),
    ev({ type: "ack", campaignId, recipient: 1, messageId: "3EB0A1", status: "read" }),
    ev({ type: "ack", campaignId, recipient: 2, messageId: "3EB0A2", status: "delivered" }),
    ev({
      type: "send_failed",
      campaignId,
      recipient: 3,
      reason: "not_on_whatsapp",
      detail: "15550000003@c.us is not on WhatsApp",
    }),
  ]);
  expect(res.status).toBe(200);
  return { ...created, token: tokenOf(created.link) };
}

describe("reading recipients with a link token", () => {
  it("should show a viewer masked phones and no variables", async () => {
    const { id, token } = await campaignWithProgress();
    const page = await (await asViewer(`/api/campaigns/${id}/recipients`, token)).json<Page>();
    expect(page.recipients).toHaveLength(8);
    expect(page.recipients[0]!.phone).toBe("+1 555 ••• 0000");
    expect(page.recipients[0]).not.toHaveProperty("vars");
    expect(page.recipients[3]!.failureDetail).toBe("+1 555 ••• 0003@c.us is not on WhatsApp");
  });

  it("should show the operator whole phones and variables", async () => {
    const { id } = await campaignWithProgress();
    const page = await (await api(`/api/campaigns/${id}/recipients`)).json<Page>();
    expect(page.recipients[0]!.phone).toBe("15550000000");
    expect(page.recipients[0]).toHaveProperty("vars");
    expect(page.recipients[3]!.failureDetail).toContain("15550000003@c.us");
  });

  it.each([
    ["no credentials", {}, "", /Bearer.*\?t=/],
    ["a token that is not one", {}, "bad.token", /not valid/],
    [
      "a wrong bearer beside a good token",
      { Authorization: "Bearer nope" },
      "GOOD",
      /operator token/,
    ],
  ])("should answer 401 with a reason for %s", async (_, headers, t, message) => {
    const { id, token } = await campaignWithProgress(4);
    const query = t ? `?t=${t === "GOOD" ? token : t}` : "";
    const res = await SELF.fetch(`${BASE}/api/campaigns/${id}/recipients${query}`, { headers });
    expect(res.status).toBe(401);
    const body = await res.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe("unauthorized");
    expect(body.error.message).toMatch(message);
  });

  it("should refuse the link of one campaign for another", async () => {
    const first = await campaignWithProgress(4);
    const second = await campaignWithProgress(4);
    const res = await asViewer(`/api/campaigns/${second.id}/recipients`, first.token);
    expect(res.status).toBe(401);
  });
});

describe("filtering and searching recipients", () => {
  async function indexes(path: string, token?: string): Promise<number[]> {
    const res = token ? await asViewer(path, token) : await api(path);
    expect(res.status).toBe(200);
    return (await res.json<Page>()).recipients.map((r) => r.index);
  }

  it("should filter on one status or several", async () => {
    const { id } = await campaignWithProgress();
    const base = `/api/campaigns/${id}/recipients`;
    expect(await indexes(`${base}?status=read`)).toEqual([0, 1]);
    expect(await indexes(`${base}?status=delivered,failed`)).toEqual([2, 3]);
  });

  it("should filter on the failure reason of failed recipients", async () => {
    const { id } = await campaignWithProgress();
    const base = `/api/campaigns/${id}/recipients`;
    expect(await indexes(`${base}?reason=not_on_whatsapp`)).toEqual([3]);
    expect(await indexes(`${base}?reason=rate_limited`)).toEqual([]);
  });

  it("should search names without regard to case, and phone digits", async () => {
    const { id } = await campaignWithProgress(12);
    const base = `/api/campaigns/${id}/recipients`;
    expect(await indexes(`${base}?q=PERSON%2011`)).toEqual([11]);
    expect(await indexes(`${base}?q=${encodeURIComponent("+1 555 000 0010")}`)).toEqual([10]);
  });

  it("should let a viewer search only the digits a viewer can see", async () => {
    const { id, token } = await campaignWithProgress(12);
    const base = `/api/campaigns/${id}/recipients`;
    expect(await indexes(`${base}?q=0011`, token)).toEqual([11]);
    // Matching the hidden middle digits would reveal them, one search at a time.
    expect(await indexes(`${base}?q=15550000011`, token)).toEqual([]);
  });

  it("should page a filtered list by cursor without gaps", async () => {
    const { id } = await campaignWithProgress(30);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const res = await api(`/api/campaigns/${id}/recipients?status=queued&limit=7${query}`);
      const page: Page = await res.json();
      seen.push(...page.recipients.map((r) => r.index));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 26 }, (_, i) => i + 4));
  });

  it("should answer 400 naming an unknown reason", async () => {
    const { id } = await campaignWithProgress(4);
    const res = await api(`/api/campaigns/${id}/recipients?reason=bad_luck`);
    const body = await res.json<{ error: { message: string } }>();
    expect(res.status).toBe(400);
    expect(body.error.message).toMatch(/^reason:.*not_on_whatsapp/);
  });
});
