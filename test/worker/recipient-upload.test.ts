import { describe, expect, it } from "vitest";
import { api, createCampaign, postJson, snapshotOf, startCampaign } from "./helpers.ts";

function rows(from: number, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    phone: `1444${String(from + i).padStart(7, "0")}`,
    name: `P${from + i}`,
  }));
}

describe("uploading a large list in chunks", () => {
  it("should append chunks at the count so far and keep the counters in step", async () => {
    const { id } = await createCampaign(3);
    const first = await postJson(`/api/campaigns/${id}/recipients`, {
      offset: 3,
      recipients: rows(3, 200),
    });
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ total: 203 });
    const second = await postJson(`/api/campaigns/${id}/recipients`, {
      offset: 203,
      recipients: rows(203, 50),
    });
    expect(await second.json()).toEqual({ total: 253 });
    expect((await snapshotOf(id)).counts).toMatchObject({ total: 253, pending: 253 });
    const page = await api(`/api/campaigns/${id}/recipients?limit=500`);
    const listed = await page.json<{ recipients: Array<{ index: number }> }>();
    expect(listed.recipients.map((r) => r.index)).toEqual([...Array(253).keys()]);
  });

  it("should refuse a repeated chunk with 409 and the offset to continue from", async () => {
    const { id } = await createCampaign(1);
    const chunk = { offset: 1, recipients: rows(1, 10) };
    expect((await postJson(`/api/campaigns/${id}/recipients`, chunk)).status).toBe(201);
    const again = await postJson(`/api/campaigns/${id}/recipients`, chunk);
    const body = await again.json<{ error: { code: string; message: string } }>();
    expect(again.status).toBe(409);
    expect(body.error.code).toBe("offset_mismatch");
    expect(body.error.message).toContain("offset 11");
    expect((await snapshotOf(id)).counts.total).toBe(11);
  });

  it("should refuse a phone that an earlier chunk already has, naming its row", async () => {
    const { id } = await createCampaign(2);
    const res = await postJson(`/api/campaigns/${id}/recipients`, {
      offset: 2,
      recipients: [{ phone: "+1 555 000 0001", name: "Again" }, ...rows(10, 2)],
    });
    const body = await res.json<{ error: { details: Array<{ row: number; reason: string }> } }>();
    expect(res.status).toBe(400);
    expect(body.error.details).toEqual([
      expect.objectContaining({ row: 2, reason: "same phone as row 1" }),
    ]);
    expect((await snapshotOf(id)).counts.total).toBe(2);
  });

  it("should refuse chunks once the campaign has started", async () => {
    const { id } = await createCampaign(1);
    await startCampaign(id);
    const res = await postJson(`/api/campaigns/${id}/recipients`, {
      offset: 1,
      recipients: rows(1, 1),
    });
    expect(res.status).toBe(409);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe("not_draft");
  });
});
