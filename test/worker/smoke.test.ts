import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("smoke", () => {
  it("creates a campaign", async () => {
    const res = await SELF.fetch("http://ticks.test/api/campaigns", {
      method: "POST",
      headers: { Authorization: "Bearer test-operator-token" },
      body: JSON.stringify({ name: "x", message: "Hi {{name}}", recipients: [{ phone: "+1 555 000 1111", name: "Ana" }] }),
    });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
  });
});
