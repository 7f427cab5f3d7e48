import { describe, expect, it } from "vitest";
import {
  api,
  createCampaign,
  ev,
  gatewayPost,
  postEvents,
  snapshotOf,
  startCampaign,
} from "./helpers.ts";

async function claimAs(gatewayId: string, limit = 50) {
  const res = await gatewayPost("/api/gateway/claim", { limit }, gatewayId);
  return (await res.json<{ messages: Array<{ campaignId: string }> }>()).messages;
}

function session(state: string, reason?: string) {
  return ev({ type: "session", state, ...(reason ? { reason } : {}) } as never);
}

describe("campaigns follow their gateway's session", () => {
  it("should pause with the reason when the gateway disconnects and resume on ready", async () => {
    const { id } = await createCampaign(3);
    await startCampaign(id);
    await claimAs("gw-phone-1", 1);
    await gatewayPost(
      "/api/gateway/events",
      { events: [session("disconnected", "NAVIGATION")] },
      "gw-phone-1",
    );
    const paused = (await snapshotOf(id)).campaign as Record<string, unknown>;
    expect(paused).toMatchObject({ state: "paused", pausedBy: "gateway:gw-phone-1" });
    expect(paused.pausedReason).toBe("gateway gw-phone-1 lost its WhatsApp session (NAVIGATION)");
    // Paused campaigns hand out nothing.
    expect((await claimAs("gw-other")).filter((m) => m.campaignId === id)).toEqual([]);
    await gatewayPost("/api/gateway/events", { events: [session("ready")] }, "gw-phone-1");
    const resumed = (await snapshotOf(id)).campaign as Record<string, unknown>;
    expect(resumed).toMatchObject({ state: "sending", pausedBy: null, pausedReason: null });
  });

  it("should leave alone campaigns the gateway never sent", async () => {
    const { id } = await createCampaign(1);
    await startCampaign(id);
    await gatewayPost(
      "/api/gateway/events",
      { events: [session("failed", "auth")] },
      "gw-stranger",
    );
    expect((await snapshotOf(id)).campaign.state).toBe("sending");
  });

  it("should not resume a campaign the operator paused", async () => {
    const { id } = await createCampaign(2);
    await startCampaign(id);
    await claimAs("gw-phone-2", 1);
    await api(`/api/campaigns/${id}/pause`, { method: "POST" });
    await gatewayPost("/api/gateway/events", { events: [session("disconnected")] }, "gw-phone-2");
    await gatewayPost("/api/gateway/events", { events: [session("ready")] }, "gw-phone-2");
    const campaign = (await snapshotOf(id)).campaign as Record<string, unknown>;
    expect(campaign).toMatchObject({ state: "paused", pausedBy: "operator" });
  });

  it("should still count acks that arrive while the campaign is paused", async () => {
    const { id } = await createCampaign(1);
    await startCampaign(id);
    await claimAs("gw-phone-3", 1);
    await gatewayPost("/api/gateway/events", { events: [session("disconnected")] }, "gw-phone-3");
    await postEvents([
      ev({ type: "ack", campaignId: id, recipient: 0, messageId: "K", status: "read" }),
    ]);
    expect((await snapshotOf(id)).counts.read).toBe(1);
  });
});

describe("tiers and variables", () => {
  it("should default to the careful tier and hand it out with each message", async () => {
    const { id } = await createCampaign(1);
    expect(((await snapshotOf(id)).campaign as Record<string, unknown>).tier).toBe("careful");
    await startCampaign(id);
    const messages = await claimAs("gw-tier");
    expect(messages.find((m) => m.campaignId === id)).toMatchObject({ tier: "careful" });
  });

  it("should refuse an unknown tier", async () => {
    const res = await api("/api/campaigns", {
      method: "POST",
      body: JSON.stringify({
        name: "n",
        message: "m",
        tier: "ludicrous",
        recipients: [{ phone: "15550001111" }],
      }),
    });
    expect(res.status).toBe(400);
  });

  it("should render every column of a row into the message", async () => {
    const res = await api("/api/campaigns", {
      method: "POST",
      body: JSON.stringify({
        name: "Vars",
        message: "Hi {{name}}, your order {{order}} ships to {{ city }}.",
        tier: "fast",
        recipients: [{ phone: "15550009999", name: "Ana", order: 1042, city: "Lisbon" }],
      }),
    });
    expect(res.status).toBe(201);
    const { id } = await res.json<{ id: string }>();
    await startCampaign(id);
    const message = (await claimAs("gw-vars")).find((m) => m.campaignId === id);
    expect(message).toMatchObject({
      text: "Hi Ana, your order 1042 ships to Lisbon.",
      tier: "fast",
    });
  });

  it("should refuse at creation a row that lacks a variable the message uses", async () => {
    const res = await api("/api/campaigns", {
      method: "POST",
      body: JSON.stringify({
        name: "Vars",
        message: "Your code is {{code}}",
        recipients: [{ phone: "15550001111", code: "A1" }, { phone: "15550002222" }],
      }),
    });
    const body = await res.json<{ error: { details: Array<{ row: number; reason: string }> } }>();
    expect(res.status).toBe(400);
    expect(body.error.details).toEqual([
      expect.objectContaining({
        row: 1,
        reason: "the message uses {{code}} but this row has none",
      }),
    ]);
  });
});
