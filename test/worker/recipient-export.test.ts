import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, BASE, createCampaign, ev, postEvents, startCampaign } from "./helpers.ts";

const HEADER =
  "index,phone,name,status,pending_at,sent_at,delivered_at,read_at,played_at," +
  "failed_at,failure_reason,failure_detail";

function linesOf(csv: string): string[] {
  return csv
    .replace(/^\uFEFF/, "")
    .trimEnd()
    .split("\r\n");
}

describe("exporting recipients as CSV", () => {
  it("should stream a download with every stage time in UTC", async () => {
    const { id } = await createCampaign(3);
    await startCampaign(id);
    const at = Date.UTC(2026, 0, 2, 3, 4, 5, 600);
    const iso = "2026-01-02T03:04:05.600Z";
    await postEvents([
      ev({ type: "ack", campaignId: id, recipient: 1, messageId: "3EB0B1", status: "read" }, at),
    ]);
    const res = await api(`/api/campaigns/${id}/export.csv`);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="ticks-${id}.csv"`);
    const lines = linesOf(await res.text());
    expect(lines).toEqual([
      HEADER,
      "0,15550000000,Person 0,queued,,,,,,,,",
      // A read implies every earlier stage, at the read's time.
      `1,15550000001,Person 1,read,${iso},${iso},${iso},${iso},,,,`,
      "2,15550000002,Person 2,queued,,,,,,,,",
    ]);
  });

  it("should mask phones for a viewer and keep the filters", async () => {
    const { id, link } = await createCampaign(4);
    await startCampaign(id);
    await postEvents([
      ev({ type: "ack", campaignId: id, recipient: 2, messageId: "3EB0B2", status: "delivered" }),
    ]);
    const t = new URL(link).searchParams.get("t")!;
    const res = await SELF.fetch(`${BASE}/api/campaigns/${id}/export.csv?status=delivered&t=${t}`);
    const lines = linesOf(await res.text());
    expect(lines).toHaveLength(2);
    // A cell starting with + would run as a formula; it gets a quote.
    expect(lines[1]).toMatch(/^2,'\+1 555 ••• 0002,Person 2,delivered,/);
  });

  it("should defuse names that a spreadsheet would run as formulas", async () => {
    const res = await api("/api/campaigns", {
      method: "POST",
      body: JSON.stringify({
        name: "Formulas",
        message: "Hi",
        recipients: [
          { phone: "15550001111", name: '=HYPERLINK("http://x")' },
          { phone: "15550002222", name: "@SUM(1)" },
          { phone: "15550003333", name: "-2+3" },
        ],
      }),
    });
    const { id } = await res.json<{ id: string }>();
    const lines = linesOf(await (await api(`/api/campaigns/${id}/export.csv`)).text());
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://x"")",`);
    expect(lines[2]).toContain(",'@SUM(1),");
    expect(lines[3]).toContain(",'-2+3,");
  });

  it("should export a campaign larger than one page in list order", async () => {
    const { id } = await createCampaign(1);
    // More rows than the API takes at creation, straight into D1, a
    // statement per 20 rows for D1's 100-parameter bound.
    const rows = Array.from({ length: 2_500 }, (_, i) => i + 1);
    const statements = [];
    for (let i = 0; i < rows.length; i += 20) {
      const chunk = rows.slice(i, i + 20);
      statements.push(
        env.DB.prepare(
          `INSERT INTO recipients (campaign_id, idx, phone, name) VALUES ${chunk
            .map(() => "(?, ?, ?, ?)")
            .join(", ")}`,
        ).bind(...chunk.flatMap((n) => [id, n, `1555${String(n).padStart(7, "0")}`, `P${n}`])),
      );
    }
    await env.DB.batch(statements);
    const lines = linesOf(await (await api(`/api/campaigns/${id}/export.csv`)).text());
    expect(lines).toHaveLength(1 + 2_501);
    const indexes = lines.slice(1).map((line) => Number(line.split(",")[0]));
    expect(indexes).toEqual(Array.from({ length: 2_501 }, (_, i) => i));
  });

  it("should answer 401 without credentials and 404 for no campaign", async () => {
    const { id } = await createCampaign(1);
    const res = await SELF.fetch(`${BASE}/api/campaigns/${id}/export.csv`);
    expect(res.status).toBe(401);
    expect((await api("/api/campaigns/c_0000000000000000/export.csv")).status).toBe(404);
  });
});
