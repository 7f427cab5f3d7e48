import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  api,
  BASE,
  createCampaign,
  expectNothingWritten,
  postJson,
  snapshotOf,
} from "./helpers.ts";

async function errorOf(res: Response) {
  const body = await res.json<{ error: { code: string; message: string; details?: unknown[] } }>();
  return { status: res.status, ...body.error };
}

describe("operator authentication", () => {
  it("should refuse a request without a bearer token", async () => {
    const res = await SELF.fetch(`${BASE}/api/campaigns/c_aaaaaaaaaaaaaaaa`);
    expect(await errorOf(res)).toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("should refuse a wrong token and write nothing", async () => {
    const res = await expectNothingWritten(() =>
      SELF.fetch(`${BASE}/api/campaigns`, {
        method: "POST",
        headers: { Authorization: "Bearer wrong" },
        body: JSON.stringify({ name: "x", message: "y", recipients: [{ phone: "15550001111" }] }),
      }),
    );
    expect(res.status).toBe(401);
  });
});

describe("creating a campaign", () => {
  it("should answer 201 with an id and a viewer link", async () => {
    const created = await createCampaign(3);
    expect(created.id).toMatch(/^c_[a-z0-9]{16}$/);
    expect(created.link).toMatch(new RegExp(`/c/${created.id}\\?t=[\\w-]+\\.[\\w-]+$`));
    const snapshot = await snapshotOf(created.id);
    expect(snapshot.campaign.state).toBe("draft");
    expect(snapshot.counts).toEqual({
      total: 3,
      pending: 3,
      sent: 0,
      delivered: 0,
      read: 0,
      played: 0,
      failed: 0,
    });
    const { env } = await import("cloudflare:test");
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM recipients WHERE campaign_id = ?")
      .bind(created.id)
      .first<{ n: number }>();
    expect(rows!.n).toBe(3);
  });

  it("should answer 400 for a body that is not JSON", async () => {
    const res = await api("/api/campaigns", { method: "POST", body: "{oops" });
    expect(await errorOf(res)).toMatchObject({ status: 400, code: "invalid_json" });
  });

  it.each([
    ["a missing name", { message: "m", recipients: [{ phone: "15550001111" }] }, "name"],
    [
      "a number as message",
      { name: "n", message: 5, recipients: [{ phone: "15550001111" }] },
      "message",
    ],
    ["no recipients", { name: "n", message: "m", recipients: [] }, "recipients"],
    ["recipients as an object", { name: "n", message: "m", recipients: {} }, "recipients"],
    [
      "a name too long",
      { name: "n".repeat(201), message: "m", recipients: [{ phone: "15550001111" }] },
      "name",
    ],
    ["an array body", [], "(body)"],
  ])("should answer 400 naming the field for %s", async (_, body, field) => {
    const res = await expectNothingWritten(() => postJson("/api/campaigns", body));
    const error = await errorOf(res);
    expect(error.status).toBe(400);
    expect(error.code).toBe("invalid_body");
    expect(error.message.startsWith(`${field}:`)).toBe(true);
  });

  it("should list every invalid row and save nothing", async () => {
    const res = await expectNothingWritten(() =>
      postJson("/api/campaigns", {
        name: "Sale",
        message: "Hi {{name}}",
        recipients: [
          { phone: "+1 (555) 000-1111", name: "Ana" },
          { phone: "12", name: "Bo" },
          { phone: "15550001111", name: "Cy" },
          { phone: "15550003333" },
        ],
      }),
    );
    const error = await errorOf(res);
    expect(error).toMatchObject({ status: 400, code: "invalid_recipients" });
    expect(error.details).toEqual([
      expect.objectContaining({ row: 1, field: "recipients[1].phone", value: "12" }),
      expect.objectContaining({ row: 2, reason: "same phone as row 0" }),
      expect.objectContaining({ row: 3, field: "recipients[3].name" }),
    ]);
  });
});

describe("moving a campaign", () => {
  it("should follow draft, sending, paused, sending, cancelled", async () => {
    const { id } = await createCampaign(2);
    for (const [action, state] of [
      ["start", "sending"],
      ["pause", "paused"],
      ["resume", "sending"],
      ["cancel", "cancelled"],
    ]) {
      const res = await api(`/api/campaigns/${id}/${action}`, { method: "POST" });
      expect(res.status).toBe(200);
      expect((await res.json<{ campaign: { state: string } }>()).campaign.state).toBe(state);
    }
    const row = await (
      await import("cloudflare:test")
    ).env.DB.prepare("SELECT state FROM campaigns WHERE id = ?")
      .bind(id)
      .first<{ state: string }>();
    expect(row!.state).toBe("cancelled");
  });

  it("should treat repeating an action as done", async () => {
    const { id } = await createCampaign(1);
    await api(`/api/campaigns/${id}/start`, { method: "POST" });
    const again = await api(`/api/campaigns/${id}/start`, { method: "POST" });
    expect(again.status).toBe(200);
  });

  it("should answer 409 for a move the state does not allow", async () => {
    const { id } = await createCampaign(1);
    const res = await api(`/api/campaigns/${id}/resume`, { method: "POST" });
    const error = await errorOf(res);
    expect(error).toMatchObject({ status: 409, code: "invalid_transition" });
    expect(error.message).toContain("cannot resume a campaign that is draft");
  });

  it("should answer 404 for an unknown action or campaign", async () => {
    const { id } = await createCampaign(1);
    expect((await api(`/api/campaigns/${id}/explode`, { method: "POST" })).status).toBe(404);
    const missing = await api("/api/campaigns/c_0000000000000000/start", { method: "POST" });
    expect(await errorOf(missing)).toMatchObject({ status: 404, code: "not_found" });
    expect((await api("/api/campaigns/nonsense")).status).toBe(404);
  });
});

describe("listing recipients", () => {
  it("should page through every recipient in order", async () => {
    const { id } = await createCampaign(7);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const res = await api(`/api/campaigns/${id}/recipients?limit=3${query}`);
      const page = await res.json<{
        recipients: Array<{ index: number; status: string }>;
        nextCursor: string | null;
      }>();
      seen.push(...page.recipients.map((r) => r.index));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("should answer 400 for an unknown status filter", async () => {
    const { id } = await createCampaign(1);
    const res = await api(`/api/campaigns/${id}/recipients?status=lost`);
    expect(await errorOf(res)).toMatchObject({ status: 400, code: "invalid_query" });
    const hex = await api(`/api/campaigns/${id}/recipients?limit=0x10`);
    expect(await errorOf(hex)).toMatchObject({ status: 400, code: "invalid_query" });
    expect((await api(`/api/campaigns/${id}/recipients?limit=`)).status).toBe(200);
  });

  it("should answer 404 under an unknown API path", async () => {
    const res = await api("/api/nothing-here");
    expect(await errorOf(res)).toMatchObject({ status: 404, code: "not_found" });
  });
});

describe("body size limits", () => {
  it("should refuse a recipient list over 4 MB with 413 and write nothing", async () => {
    const big = "x".repeat(4 * 1024 * 1024 + 10);
    const res = await expectNothingWritten(() =>
      api("/api/campaigns", { method: "POST", body: big }),
    );
    expect(await errorOf(res)).toMatchObject({ status: 413, code: "body_too_large" });
  });

  it("should refuse a large body on a campaign action", async () => {
    const { id } = await createCampaign(1);
    const res = await api(`/api/campaigns/${id}/start`, { method: "POST", body: "x".repeat(5000) });
    expect(res.status).toBe(413);
  });

  it("should send security headers and no-store on API answers", async () => {
    const res = await api("/api/nothing-here");
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });
});

describe("phone numbers", () => {
  it("should store E.164 digits from any common way of writing a number", async () => {
    const res = await postJson("/api/campaigns", {
      name: "Phones",
      message: "Hi",
      country: "GB",
      recipients: [
        { phone: "+44 20 7946 0958" },
        { phone: "0044 20 7946 0959" },
        { phone: "020 7946 0960" },
        { phone: "(+351) 912-345-678" },
      ],
    });
    expect(res.status).toBe(201);
    const { id } = await res.json<{ id: string }>();
    const page = await api(`/api/campaigns/${id}/recipients`);
    const { recipients } = await page.json<{ recipients: Array<{ phone: string }> }>();
    expect(recipients.map((r) => r.phone)).toEqual([
      "442079460958",
      "442079460959",
      "442079460960",
      "351912345678",
    ]);
  });

  it("should refuse an unknown country code", async () => {
    const res = await postJson("/api/campaigns", {
      name: "x",
      message: "y",
      country: "XX",
      recipients: [{ phone: "15550001111" }],
    });
    expect((await errorOf(res)).message).toContain("country");
  });

  it("should refuse numbers of impossible length for their country", async () => {
    const res = await postJson("/api/campaigns", {
      name: "x",
      message: "y",
      recipients: [{ phone: "+44 20 79" }, { phone: "+1555000111122" }],
    });
    const error = await errorOf(res);
    expect(error.details).toHaveLength(2);
  });
});

describe("lookups of campaigns that do not exist", () => {
  it("should answer 404 without creating a Durable Object", async () => {
    const { env, listDurableObjectIds } = await import("cloudflare:test");
    const before = (await listDurableObjectIds(env.CAMPAIGN_ROOM)).length;
    for (const path of ["", "/start", "/reconcile"]) {
      const method = path ? "POST" : "GET";
      const res = await api(`/api/campaigns/c_zzzzzzzzzzzzzzzz${path}`, { method });
      expect(res.status).toBe(404);
    }
    expect((await listDurableObjectIds(env.CAMPAIGN_ROOM)).length).toBe(before);
  });
});

describe("text that is not plain text", () => {
  it.each([
    ["a lone surrogate in the name", { name: "Sale \ud800" }],
    ["a NUL in a recipient name", { recipients: [{ phone: "15550001111", name: "Zo\u0000e" }] }],
    ["a direction override in a name", { name: "\u202Eevil\u202C" }],
    ["a control character in the message", { message: "Hi\u0007" }],
    [
      "a lone surrogate in a variable",
      { message: "{{code}}", recipients: [{ phone: "15550001111", code: "\udc00" }] },
    ],
  ])("should refuse %s with 400 and write nothing", async (_, override) => {
    const body = {
      name: "Sale",
      message: "Hi",
      recipients: [{ phone: "15550001111" }],
      ...override,
    };
    const res = await expectNothingWritten(() => postJson("/api/campaigns", body));
    expect(res.status).toBe(400);
  });

  it("should keep line breaks in a message and right-to-left text in names", async () => {
    const res = await postJson("/api/campaigns", {
      name: "تخفيضات الشتاء",
      message: "Hi {{name}},\nsee you soon.",
      recipients: [{ phone: "15550001111", name: "Zoë 👋" }],
    });
    expect(res.status).toBe(201);
  });

  it("should say plainly that a phone is missing", async () => {
    const res = await postJson("/api/campaigns", {
      name: "x",
      message: "y",
      recipients: [{ name: "Ana" }],
    });
    expect((await errorOf(res)).message).toContain("a phone number is required");
  });
});
