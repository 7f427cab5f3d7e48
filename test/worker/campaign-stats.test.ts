import { describe, expect, it } from "vitest";
import { downsample, latencyBucket, percentiles } from "../../durable-objects/room-stats.ts";
import {
  createCampaign,
  sendingCampaign,
  ev,
  gatewayPost,
  postEvents,
  startCampaign,
} from "./helpers.ts";
import { api } from "./helpers.ts";

async function fullSnapshot(id: string) {
  const res = await api(`/api/campaigns/${id}`);
  return res.json<{
    timeline: Array<{ at: number; sent: number; delivered: number; read: number }>;
    latency: {
      deliver: { p50: number | null; p90: number | null };
      read: { p50: number | null; p90: number | null };
    };
    failures: Record<string, number>;
    gateways: Array<{ id: string; state: string; reason: string | null }>;
  }>();
}

describe("latency percentiles", () => {
  it("should be within 5% of the exact median and 90th percentile", () => {
    const samples = Array.from({ length: 1000 }, (_, i) => 100 + i * 37);
    const buckets = new Map<number, number>();
    for (const ms of samples) {
      const b = latencyBucket(ms);
      buckets.set(b, (buckets.get(b) ?? 0) + 1);
    }
    const result = percentiles([...buckets].map(([bucket, n]) => ({ bucket, n })));
    const exact50 = samples[499]!;
    const exact90 = samples[899]!;
    expect(Math.abs(result.p50! - exact50) / exact50).toBeLessThan(0.05);
    expect(Math.abs(result.p90! - exact90) / exact90).toBeLessThan(0.05);
  });

  it("should be null with no samples", () => {
    expect(percentiles([])).toEqual({ p50: null, p90: null });
  });

  it("should keep the first and last timeline points when thinning", () => {
    const points = Array.from({ length: 2000 }, (_, i) => ({
      at: i,
      sent: i,
      delivered: 0,
      read: 0,
    }));
    const thin = downsample(points, 500);
    expect(thin).toHaveLength(500);
    expect(thin[0]!.at).toBe(0);
    expect(thin.at(-1)!.at).toBe(1999);
  });
});

describe("campaign statistics in the snapshot", () => {
  it("should time delivery and reading from the start of each send", async () => {
    const { id } = await sendingCampaign(2);
    await startCampaign(id);
    const t = 1_800_000_000_000;
    await postEvents([
      ev({ type: "send_started", campaignId: id, recipient: 0 }, t),
      ev({ type: "send_started", campaignId: id, recipient: 1 }, t),
      ev(
        { type: "ack", campaignId: id, recipient: 0, messageId: "A", status: "delivered" },
        t + 2_000,
      ),
      ev(
        { type: "ack", campaignId: id, recipient: 1, messageId: "B", status: "delivered" },
        t + 4_000,
      ),
      ev({ type: "ack", campaignId: id, recipient: 0, messageId: "A", status: "read" }, t + 60_000),
    ]);
    const { latency, timeline } = await fullSnapshot(id);
    expect(latency.deliver.p50! / 2_000).toBeCloseTo(1, 1);
    expect(latency.deliver.p90! / 4_000).toBeCloseTo(1, 1);
    expect(latency.read.p50! / 60_000).toBeCloseTo(1, 1);
    expect(timeline.at(-1)).toMatchObject({ sent: 2, delivered: 2, read: 1 });
  });

  it("should group current failures by reason and drop one lifted by delivery", async () => {
    const { id } = await sendingCampaign(3);
    await postEvents([
      ev({
        type: "send_failed",
        campaignId: id,
        recipient: 0,
        reason: "not_on_whatsapp",
        detail: "x",
      }),
      ev({ type: "ack", campaignId: id, recipient: 1, messageId: "B", status: "failed" }),
      ev({
        type: "send_failed",
        campaignId: id,
        recipient: 2,
        reason: "not_on_whatsapp",
        detail: "x",
      }),
    ]);
    expect((await fullSnapshot(id)).failures).toEqual({ not_on_whatsapp: 2, rejected: 1 });
    await postEvents([
      ev({ type: "ack", campaignId: id, recipient: 1, messageId: "B", status: "delivered" }),
    ]);
    const { failures } = await fullSnapshot(id);
    expect(failures.rejected ?? 0).toBe(0);
    expect(failures.not_on_whatsapp).toBe(2);
  });

  it("should show the health of the gateways that sent the campaign", async () => {
    const { id } = await sendingCampaign(1);
    await startCampaign(id);
    await gatewayPost("/api/gateway/claim", { limit: 1 }, "gw-health");
    await gatewayPost(
      "/api/gateway/events",
      {
        events: [
          { id: "h1", at: Date.now(), type: "session", state: "qr", reason: "scan the code" },
        ],
      },
      "gw-health",
    );
    expect((await fullSnapshot(id)).gateways).toEqual([
      expect.objectContaining({ id: "gw-health", state: "qr", reason: "scan the code" }),
    ]);
  });
});
