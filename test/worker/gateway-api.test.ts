import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signBody } from "../../domain/signature.ts";
import {
  BASE,
  createCampaign,
  sendingCampaign,
  ev,
  expectNothingWritten,
  gatewayPost,
  postEvents,
  snapshotOf,
  startCampaign,
} from "./helpers.ts";

async function rawGatewayPost(headers: Record<string, string>, body: string) {
  return SELF.fetch(`${BASE}/api/gateway/events`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
}

describe("gateway signatures", () => {
  const body = JSON.stringify({ events: [{ id: "s1", at: 1, type: "session", state: "ready" }] });
  const now = () => Math.floor(Date.now() / 1000);

  it("should refuse a request without signature headers", async () => {
    const res = await expectNothingWritten(() => rawGatewayPost({}, body));
    expect(res.status).toBe(401);
  });

  it("should refuse a signature made with another secret", async () => {
    const ts = now();
    const res = await expectNothingWritten(() =>
      rawGatewayPost(
        {
          "X-Ticks-Gateway": "gw",
          "X-Ticks-Timestamp": String(ts),
          "X-Ticks-Signature": "",
        },
        body,
      ),
    );
    expect(res.status).toBe(401);
    const forged = await signBody("not-the-secret", ts, body);
    const res2 = await rawGatewayPost(
      { "X-Ticks-Gateway": "gw", "X-Ticks-Timestamp": String(ts), "X-Ticks-Signature": forged },
      body,
    );
    expect(res2.status).toBe(401);
  });

  it("should refuse a body changed after signing", async () => {
    const ts = now();
    const signature = await signBody(env.GATEWAY_SECRET, ts, body);
    const res = await rawGatewayPost(
      { "X-Ticks-Gateway": "gw", "X-Ticks-Timestamp": String(ts), "X-Ticks-Signature": signature },
      body.replace("ready", "failed"),
    );
    expect(res.status).toBe(401);
  });

  it("should refuse a timestamp more than five minutes off", async () => {
    const ts = now() - 301;
    const signature = await signBody(env.GATEWAY_SECRET, ts, body);
    const res = await rawGatewayPost(
      { "X-Ticks-Gateway": "gw", "X-Ticks-Timestamp": String(ts), "X-Ticks-Signature": signature },
      body,
    );
    const error = (await res.json<{ error: { message: string } }>()).error;
    expect(res.status).toBe(401);
    expect(error.message).toContain("off the Worker's clock");
  });

  it("should accept a correct signature and record the session state", async () => {
    const res = await gatewayPost("/api/gateway/events", JSON.parse(body), "gw-ok");
    expect(res.status).toBe(200);
    const row = await env.DB.prepare("SELECT state FROM gateways WHERE id = 'gw-ok'").first<{
      state: string;
    }>();
    expect(row!.state).toBe("ready");
  });
});

describe("gateway events", () => {
  it("should answer 422 and apply nothing when one event names an unknown recipient", async () => {
    const { id } = await sendingCampaign(2);
    const res = await expectNothingWritten(() =>
      postEvents([
        ev({ type: "ack", campaignId: id, recipient: 0, messageId: "AA", status: "read" }),
        ev({ type: "ack", campaignId: id, recipient: 2, messageId: "BB", status: "read" }),
      ]),
    );
    expect(res.status).toBe(422);
    expect((await snapshotOf(id)).counts.read).toBe(0);
  });

  it("should answer 422 for an unknown campaign", async () => {
    const res = await postEvents([
      ev({ type: "send_started", campaignId: "c_0000000000000000", recipient: 0 }),
    ]);
    expect(res.status).toBe(422);
  });

  it.each([
    ["no events", { events: [] }],
    ["an unknown type", { events: [{ id: "x", at: 1, type: "boom" }] }],
    [
      "a string recipient",
      {
        events: [
          {
            id: "x",
            at: 1,
            type: "send_started",
            campaignId: "c_0000000000000000",
            recipient: "0",
          },
        ],
      },
    ],
    [
      "an unknown ack status",
      {
        events: [
          {
            id: "x",
            at: 1,
            type: "ack",
            campaignId: "c_0000000000000000",
            recipient: 0,
            messageId: "A",
            status: "seen",
          },
        ],
      },
    ],
    ["a missing id", { events: [{ at: 1, type: "session", state: "ready" }] }],
  ])("should answer 400 for %s", async (_, body) => {
    const res = await expectNothingWritten(() => gatewayPost("/api/gateway/events", body));
    expect(res.status).toBe(400);
  });

  it("should keep the stage times and failure reason in D1", async () => {
    const { id } = await sendingCampaign(2);
    await startCampaign(id);
    const res = await postEvents([
      ev({ type: "send_started", campaignId: id, recipient: 0 }, 1000),
      ev({ type: "ack", campaignId: id, recipient: 0, messageId: "3EB0AA", status: "read" }, 3000),
      ev({ type: "ack", campaignId: id, recipient: 0, messageId: "3EB0AA", status: "sent" }, 2000),
      ev(
        {
          type: "send_failed",
          campaignId: id,
          recipient: 1,
          reason: "unresolved_contact",
          detail: "No LID for user",
        },
        1500,
      ),
    ]);
    expect(res.status).toBe(200);
    const rows = await env.DB.prepare("SELECT * FROM recipients WHERE campaign_id = ? ORDER BY idx")
      .bind(id)
      .all<Record<string, unknown>>();
    expect(rows.results[0]).toMatchObject({
      status: "read",
      message_id: "3EB0AA",
      pending_at: 1000,
      sent_at: 2000,
      delivered_at: 3000,
      read_at: 3000,
      failed_at: null,
    });
    expect(rows.results[1]).toMatchObject({
      status: "failed",
      failure_reason: "unresolved_contact",
      failure_detail: "No LID for user",
      failed_at: 1500,
      sent_at: null,
    });
    const snapshot = await snapshotOf(id);
    expect(snapshot.counts).toEqual({
      total: 2,
      pending: 0,
      sent: 1,
      delivered: 1,
      read: 1,
      played: 0,
      failed: 1,
    });
    expect(snapshot.campaign.state).toBe("completed");
  });

  it("should count a repeated batch once", async () => {
    const { id } = await sendingCampaign(1);
    const batch = [
      ev({ type: "ack", campaignId: id, recipient: 0, messageId: "A1", status: "delivered" }),
    ];
    const first = await (await postEvents(batch)).json<{ applied: number }>();
    const second = await (await postEvents(batch)).json<{ applied: number }>();
    expect([first.applied, second.applied]).toEqual([1, 0]);
    expect((await snapshotOf(id)).counts.delivered).toBe(1);
  });
});

describe("claiming messages", () => {
  it("should hand out only queued recipients of sending campaigns, once", async () => {
    const draft = await createCampaign(2);
    const { id } = await sendingCampaign(3, "Hi {{name}}, your number is {{phone}}");
    await startCampaign(id);
    const claim = (gw: string) =>
      gatewayPost("/api/gateway/claim", { limit: 2, campaignId: id }, gw).then((r) =>
        r.json<{ messages: Array<{ campaignId: string; recipient: number; text: string }> }>(),
      );
    const a = await claim("gw-a");
    const b = await claim("gw-b");
    const c = await claim("gw-c");
    type Claimed = { campaignId: string; recipient: number; text: string };
    const mine = (m: { messages: Claimed[] }) => m.messages.filter((x) => x.campaignId === id);
    expect(a.messages.every((m) => m.campaignId !== draft.id)).toBe(true);
    const all = [...mine(a), ...mine(b), ...mine(c)].map((m) => m.recipient);
    expect(all.sort()).toEqual([0, 1, 2]);
    expect(mine(a)[0]!.text).toBe("Hi Person 0, your number is 15550000000");
  });

  it("should not hand out a recipient whose send has started", async () => {
    const { id } = await sendingCampaign(1);
    await startCampaign(id);
    await postEvents([ev({ type: "send_started", campaignId: id, recipient: 0 })]);
    const res = await gatewayPost("/api/gateway/claim", { limit: 50 }, "gw-x");
    const { messages } = await res.json<{ messages: Array<{ campaignId: string }> }>();
    expect(messages.filter((m) => m.campaignId === id)).toEqual([]);
  });

  it("should answer 400 for a limit out of range", async () => {
    const res = await gatewayPost("/api/gateway/claim", { limit: 500 });
    expect(res.status).toBe(400);
  });
});

describe("gateway body limits", () => {
  it("should refuse a batch body over 512 KB before checking its signature", async () => {
    const res = await gatewayPost("/api/gateway/events", {
      events: [],
      pad: "x".repeat(600 * 1024),
    });
    expect(res.status).toBe(413);
  });
});

describe("campaigns pinned to a gateway", () => {
  it("should be claimed by that gateway only", async () => {
    const res = await (
      await import("./helpers.ts")
    ).postJson("/api/campaigns", {
      name: "Pinned",
      message: "Hi",
      gateway: "phone-7",
      recipients: [{ phone: "15550007777" }],
    });
    const { id } = await res.json<{ id: string }>();
    await startCampaign(id);
    const claim = async (gw: string) => {
      const r = await gatewayPost("/api/gateway/claim", { limit: 5, campaignId: id }, gw);
      return (await r.json<{ messages: unknown[] }>()).messages.length;
    };
    expect(await claim("phone-8")).toBe(0);
    expect(await claim("phone-7")).toBe(1);
  });
});

describe("events that are not about a sent message", () => {
  it("should refuse events for a draft campaign with 422", async () => {
    const { id } = await createCampaign(2);
    const res = await expectNothingWritten(() =>
      postEvents([
        ev({ type: "ack", campaignId: id, recipient: 0, messageId: "A", status: "read" }),
      ]),
    );
    expect(res.status).toBe(422);
    const body = await res.json<{ error: { details: Array<{ reason: string }> } }>();
    expect(body.error.details[0]!.reason).toContain("draft");
  });

  it("should ignore an ack naming another message than the one sent", async () => {
    const { id } = await sendingCampaign(1);
    await postEvents([
      ev({ type: "send_result", campaignId: id, recipient: 0, messageId: "3EB0AAAA" }),
    ]);
    const res = await postEvents([
      ev({ type: "ack", campaignId: id, recipient: 0, messageId: "3EB0BBBB", status: "read" }),
    ]);
    expect(await res.json()).toEqual({ applied: 0, ignored: 1 });
    expect((await snapshotOf(id)).counts).toMatchObject({ read: 0, pending: 1 });
    const row = await env.DB.prepare(
      "SELECT status, message_id FROM recipients WHERE campaign_id = ?",
    )
      .bind(id)
      .first();
    expect(row).toEqual({ status: "pending", message_id: "3EB0AAAA" });
  });

  it("should still count acks for a campaign cancelled after sending", async () => {
    const { id } = await sendingCampaign(2);
    await postEvents([
      ev({ type: "send_result", campaignId: id, recipient: 0, messageId: "3EB0CC" }),
    ]);
    await (await import("./helpers.ts")).api(`/api/campaigns/${id}/cancel`, { method: "POST" });
    await postEvents([
      ev({ type: "ack", campaignId: id, recipient: 0, messageId: "3EB0CC", status: "delivered" }),
    ]);
    expect((await snapshotOf(id)).counts.delivered).toBe(1);
  });
});

describe("an expired lease", () => {
  async function claimOne(gatewayId: string, campaignId: string) {
    const res = await gatewayPost("/api/gateway/claim", { limit: 5, campaignId }, gatewayId);
    return (await res.json<{ messages: Array<{ recipient: number }> }>()).messages;
  }

  function expireLeases(campaignId: string) {
    return env.DB.prepare("UPDATE leases SET expires_at = 0 WHERE campaign_id = ?")
      .bind(campaignId)
      .run();
  }

  it("should go to another gateway only once the holder reported after taking it", async () => {
    const { id } = await sendingCampaign(1);
    expect(await claimOne("gw-holder", id)).toHaveLength(1);
    await expireLeases(id);
    // The holder may have crashed mid-send: nobody else may send it yet.
    expect(await claimOne("gw-other", id)).toHaveLength(0);
    // The holder itself may take it back (its own ledger knows the truth).
    expect(await claimOne("gw-holder", id)).toHaveLength(1);
    await expireLeases(id);
    const later = Date.now() + 301_000;
    await gatewayPost(
      "/api/gateway/events",
      { events: [{ id: "late", at: later, type: "session", state: "ready" }] },
      "gw-holder",
    );
    expect(await claimOne("gw-other", id)).toHaveLength(1);
  });
});
