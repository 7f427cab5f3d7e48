import { env, runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { GatewayEvent } from "../../domain/events.ts";
import { funnelFromStatusCounts } from "../../domain/funnel.ts";
import { applyStatus, emptyStatusCounts, type Status } from "../../domain/status.ts";
import { roomOf } from "../../worker/campaigns/room.ts";
import {
  BASE,
  createCampaign,
  sendingCampaign,
  ev,
  postEvents,
  snapshotOf,
  openLive,
  startCampaign,
  until,
} from "./helpers.ts";

const ACKS = ["pending", "sent", "delivered", "read", "played", "failed"] as const;

function randomEvent(campaignId: string, total: number, rng: () => number): GatewayEvent {
  const recipient = Math.floor(rng() * total);
  const kind = rng();
  if (kind < 0.15) return ev({ type: "send_started", campaignId, recipient });
  if (kind < 0.2) {
    return ev({ type: "send_failed", campaignId, recipient, reason: "send_error", detail: "boom" });
  }
  const status = ACKS[Math.floor(rng() * ACKS.length)]!;
  return ev({ type: "ack", campaignId, recipient, messageId: `3EB0${recipient}`, status });
}

function statusOf(event: GatewayEvent): Status {
  if (event.type === "ack") return event.status;
  return event.type === "send_failed" ? "failed" : "pending";
}

async function recountFromD1(campaignId: string) {
  const { results } = await env.DB.prepare(
    "SELECT status, COUNT(*) AS n FROM recipients WHERE campaign_id = ? GROUP BY status",
  )
    .bind(campaignId)
    .all<{ status: Status; n: number }>();
  const counts = emptyStatusCounts();
  for (const row of results) counts[row.status] = row.n;
  return funnelFromStatusCounts(counts);
}

describe("exact counters", () => {
  it("should equal a recount of D1 after a long random stream with repeats", async () => {
    const total = 150;
    const { id } = await sendingCampaign(total);
    await startCampaign(id);
    const rng = fc.sample(fc.integer({ min: 0, max: 2 ** 31 }), { seed: 42, numRuns: 1 })[0]!;
    let state = rng;
    const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const events = Array.from({ length: 1500 }, () => randomEvent(id, total, next));
    const withRepeats = [...events, ...events.filter(() => next() < 0.2)];
    for (let i = 0; i < withRepeats.length; i += 100) {
      const res = await postEvents(withRepeats.slice(i, i + 100));
      expect(res.status).toBe(200);
    }
    const model = new Map<number, Status>();
    for (const e of events) {
      if (e.type === "session") continue;
      model.set(e.recipient, applyStatus(model.get(e.recipient) ?? "queued", statusOf(e)));
    }
    const expected = emptyStatusCounts();
    for (let i = 0; i < total; i++) expected[model.get(i) ?? "queued"]++;
    const counts = (await snapshotOf(id)).counts;
    expect(counts).toEqual(await recountFromD1(id));
    expect(counts).toEqual(funnelFromStatusCounts(expected));
  });
});

describe("live snapshots", () => {
  it("should send the full snapshot at once on connect", async () => {
    const { id, link } = await createCampaign(4);
    const live = await openLive(id, link);
    await until(() => live.messages.length === 1);
    expect(live.messages[0]).toMatchObject({
      type: "snapshot",
      campaign: { id, name: "Test campaign", state: "draft" },
      counts: { total: 4, pending: 4 },
    });
    live.socket.close();
  });

  it("should coalesce many changes into one broadcast per alarm", async () => {
    const { id, link } = await sendingCampaign(10);
    const live = await openLive(id, link);
    await until(() => live.messages.length === 1);
    for (let i = 0; i < 10; i++) {
      await postEvents([
        ev({ type: "ack", campaignId: id, recipient: i, messageId: `M${i}`, status: "delivered" }),
      ]);
    }
    expect(live.messages).toHaveLength(1);
    const stub = roomOf(env, id);
    const alarmAt = await runInDurableObject(stub, (_, state) => state.storage.getAlarm());
    expect(alarmAt).not.toBeNull();
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await until(() => live.messages.length === 2);
    expect(live.messages[1]!.counts.delivered).toBe(10);
    expect(live.messages[1]!.version).toBeGreaterThan(live.messages[0]!.version);
    live.socket.close();
  });

  it("should survive an alarm that runs twice", async () => {
    const { id, link } = await sendingCampaign(2);
    const live = await openLive(id, link);
    await postEvents([
      ev({ type: "ack", campaignId: id, recipient: 0, messageId: "M", status: "sent" }),
    ]);
    const stub = roomOf(env, id);
    await runDurableObjectAlarm(stub);
    await runInDurableObject(stub, (room) => room.alarm());
    await until(() => live.messages.length >= 2);
    const versions = live.messages.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    await postEvents([
      ev({ type: "ack", campaignId: id, recipient: 1, messageId: "N", status: "sent" }),
    ]);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await until(() => live.messages.at(-1)!.counts.sent === 2);
    live.socket.close();
  });

  it("should keep counts and version after the object is evicted", async () => {
    const { id } = await sendingCampaign(3);
    await postEvents([
      ev({ type: "ack", campaignId: id, recipient: 2, messageId: "Z", status: "read" }),
    ]);
    const before = await snapshotOf(id);
    const { evictDurableObject } = await import("cloudflare:test");
    await evictDurableObject(roomOf(env, id));
    const after = await snapshotOf(id);
    expect(after.counts).toEqual(before.counts);
    expect(after.version).toBe(before.version);
  });

  it("should close with 4001 for a link of another campaign or a forged one", async () => {
    const a = await sendingCampaign(1);
    const b = await sendingCampaign(1);
    const wrong = await openLive(a.id, b.link);
    expect(await wrong.closed).toMatchObject({ code: 4001 });
    const forged = await openLive(a.id, `${BASE}/?t=eyJjIjoiYyJ9.AAAA`);
    expect((await forged.closed).reason).toContain("not valid");
  });

  it("should answer 426 to a plain HTTP request on the live route", async () => {
    const { id, link } = await sendingCampaign(1);
    const token = new URL(link).searchParams.get("t");
    const res = await SELF.fetch(`${BASE}/api/campaigns/${id}/live?t=${token}`);
    expect(res.status).toBe(426);
  });
});

describe("viewer tokens of any shape", () => {
  it.each(["", "bad.token", "a.b.c", "x", "....", "eyJ9.Zm9v", "%%%.%%%"])(
    "should refuse %j with close code 4001, never an error",
    async (token) => {
      const { id } = await sendingCampaign(1);
      const res = await SELF.fetch(
        `${BASE}/api/campaigns/${id}/live?t=${encodeURIComponent(token)}`,
        { headers: { Upgrade: "websocket" } },
      );
      expect(res.status).toBe(101);
      const socket = res.webSocket!;
      const closed = new Promise<number>((r) => socket.addEventListener("close", (e) => r(e.code)));
      socket.accept();
      expect(await closed).toBe(4001);
    },
  );
});
