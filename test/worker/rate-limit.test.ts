import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, BASE, sendingCampaign } from "./helpers.ts";

// vitest.config.ts sets the viewer limit to 20 a minute for these tests.
describe("rate limits on the link viewers' routes", () => {
  it("should answer 429 with Retry-After once a viewer address passes the limit", async () => {
    const { id, link } = await sendingCampaign(1);
    const token = new URL(link).searchParams.get("t");
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 25; i++) {
      last = await SELF.fetch(`${BASE}/api/campaigns/${id}/recipients?t=${token}`, {
        headers: { "CF-Connecting-IP": "203.0.113.9" },
      });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(last!.headers.get("Retry-After")).toBe("60");
    // Another address, and the operator, are not held back.
    const other = await SELF.fetch(`${BASE}/api/campaigns/${id}/recipients?t=${token}`, {
      headers: { "CF-Connecting-IP": "203.0.113.10" },
    });
    expect(other.status).toBe(200);
    expect((await api(`/api/campaigns/${id}/recipients`)).status).toBe(200);
  });
});
