import {
  createExecutionContext,
  env,
  evictDurableObject,
  runDurableObjectAlarm,
  runInDurableObject,
} from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { GatewayEvent } from "../../domain/events.ts";
import { signedHeaders } from "../../domain/signature.ts";
import { applyStatus, type Status } from "../../domain/status.ts";
import { roomOf } from "../../worker/campaigns/room.ts";
import type { Env } from "../../worker/env.ts";
import { app } from "../../worker/index.ts";
import { d1Statuses, funnelOf } from "./d1-truth.ts";
import { envWith, flakyD1, flakyRooms, seeded } from "./fault-injection.ts";
import {
  api,
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

let nonce = 0;

async function postWith(testEnv: Env, events: GatewayEvent[]): Promise<Response> {
  const body = JSON.stringify({ events, nonce: `f${++nonce}` });
  const headers = await signedHeaders(testEnv.GATEWAY_SECRET, "gw-faults", body);
  const request = new Request(`${BASE}/api/gateway/events`, { method: "POST", headers, body });
  return app.fetch(request, testEnv, createExecutionContext());
}

/** What a gateway does: post, and on a retryable answer post the same again. */
async function postUntilAccepted(testEnv: Env, events: GatewayEvent[]): Promise<number> {
  for (let attempt = 1; attempt <= 50; attempt++) {
    const res = await postWith(testEnv, events);
    if (res.status === 200) return attempt;
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
  }
  throw new Error("batch never accepted in 50 attempts");
}

describe("D1 failing while a batch is applied", () => {
  it("should answer 503 with Retry-After and write nothing to the counters", async () => {
    const { id } = await sendingCampaign(2);
    const broken = envWith({
      DB: flakyD1(
        env.DB,
        () => true,
        () => false,
      ),
    });
    const res = await postWith(broken, [
      ev({ type: "ack", campaignId: id, recipient: 0, messageId: "A", status: "read" }),
    ]);
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("1");
    const body = await res.json<{ error: { code: string } }>();
    expect(body.error.code).toBe("storage_unavailable");
    expect((await snapshotOf(id)).counts.read).toBe(0);
  });

  it("should count once a batch whose D1 answer was lost after it committed", async () => {
    const { id } = await sendingCampaign(1);
    let calls = 0;
    const lossy = envWith({
      DB: flakyD1(
        env.DB,
        () => false,
        () => ++calls === 1,
      ),
    });
    const batch = [
      ev({ type: "ack", campaignId: id, recipient: 0, messageId: "A", status: "delivered" }),
    ];
    expect(await postUntilAccepted(lossy, batch)).toBe(2);
    expect((await snapshotOf(id)).counts).toMatchObject({ delivered: 1, total: 1, pending: 0 });
  });
});

describe("hostile event streams with D1 and object failures", () => {
  it("should end in counts equal to a recount of D1 and to the statuses' model", async () => {
    const total = 60;
    const { id } = await sendingCampaign(total);
    await startCampaign(id);
    const random = seeded(7);
    const chance = (p: number) => () => random() < p;
    const testEnv = envWith({
      DB: flakyD1(env.DB, chance(0.15), chance(0.1)),
      CAMPAIGN_ROOM: flakyRooms(env.CAMPAIGN_ROOM, ["applyStatuses"], chance(0.1), chance(0.1)),
    });
    const acks = ["pending", "sent", "delivered", "read", "played", "failed"] as const;
    const model = new Map<number, Status>();
    const events: GatewayEvent[] = [];
    for (let i = 0; i < 1200; i++) {
      const recipient = Math.floor(random() * total);
      const status = acks[Math.floor(random() * acks.length)]!;
      events.push(
        ev({ type: "ack", campaignId: id, recipient, messageId: `M${recipient}`, status }),
      );
      model.set(recipient, applyStatus(model.get(recipient) ?? "queued", status));
    }
    // Duplicates and a shuffled order, delivered in batches of random size.
    const stream = [...events, ...events.filter(() => random() < 0.2)]
      .map((e) => ({ e, k: random() }))
      .sort((a, b) => a.k - b.k)
      .map(({ e }) => e);
    let retries = 0;
    for (let i = 0; i < stream.length;) {
      const size = 1 + Math.floor(random() * 40);
      retries += (await postUntilAccepted(testEnv, stream.slice(i, i + size))) - 1;
      i += size;
    }
    expect(retries).toBeGreaterThan(10);
    const expected = funnelOf(Array.from({ length: total }, (_, i) => model.get(i) ?? "queued"));
    expect(funnelOf((await d1Statuses(id)).values())).toEqual(expected);
    expect((await snapshotOf(id)).counts).toEqual(expected);
  });
});

describe("an overloaded campaign object", () => {
  it("should answer 503 with a longer Retry-After, never 500, and lose nothing", async () => {
    const { id } = await sendingCampaign(1);
    let overloaded = true;
    const busy = envWith({
      CAMPAIGN_ROOM: flakyRooms(
        env.CAMPAIGN_ROOM,
        ["applyStatuses"],
        () => overloaded,
        () => false,
        {
          overloaded: true,
        },
      ),
    });
    const batch = [
      ev({ type: "ack", campaignId: id, recipient: 0, messageId: "A", status: "sent" }),
    ];
    const res = await postWith(busy, batch);
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("5");
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe("campaign_overloaded");
    overloaded = false;
    expect((await postWith(busy, batch)).status).toBe(200);
    expect((await snapshotOf(id)).counts.sent).toBe(1);
  });

  it("should answer 500 for a bug thrown by the object's own code", async () => {
    const { id } = await sendingCampaign(1);
    const buggy = envWith({
      CAMPAIGN_ROOM: flakyRooms(
        env.CAMPAIGN_ROOM,
        ["applyStatuses"],
        () => true,
        () => false,
        {
          remote: true,
          retryable: false,
        },
      ),
    });
    const res = await postWith(buggy, [
      ev({ type: "ack", campaignId: id, recipient: 0, messageId: "A", status: "sent" }),
    ]);
    expect(res.status).toBe(500);
  });
});

describe("an object evicted mid-stream", () => {
  it("should keep counters, version and a broadcast that was due", async () => {
    const { id, link } = await sendingCampaign(3);
    const live = await openLive(id, link);
    await postEvents([
      ev({ type: "ack", campaignId: id, recipient: 1, messageId: "B", status: "read" }),
    ]);
    const before = await snapshotOf(id);
    const stub = roomOf(env, id);
    await evictDurableObject(stub, { webSockets: "hibernate" });
    await postEvents([
      ev({ type: "ack", campaignId: id, recipient: 2, messageId: "C", status: "sent" }),
    ]);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const after = await snapshotOf(id);
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.counts).toMatchObject({ sent: 2, read: 1, pending: 1 });
    await until(() => live.messages.at(-1)?.version === after.version);
    expect(live.messages.at(-1)!.version).toBe(after.version);
    live.socket.close();
  });

  it("should still broadcast to the others when one viewer vanished", async () => {
    const { id, link } = await sendingCampaign(1);
    const gone = await openLive(id, link);
    const stays = await openLive(id, link);
    gone.socket.close(1001, "tab closed");
    await postEvents([
      ev({ type: "ack", campaignId: id, recipient: 0, messageId: "A", status: "sent" }),
    ]);
    expect(await runDurableObjectAlarm(roomOf(env, id))).toBe(true);
    await until(() => stays.messages.at(-1)?.counts.sent === 1);
    expect(stays.messages.at(-1)!.counts.sent).toBe(1);
    stays.socket.close();
  });
});

describe("an object aborted between batches", () => {
  it("should resume from its storage with nothing lost or doubled", async () => {
    const { abortAllDurableObjects } = await import("cloudflare:test");
    const { id } = await sendingCampaign(30);
    for (let round = 0; round < 3; round++) {
      const batch = Array.from({ length: 10 }, (_, i) =>
        ev({
          type: "ack",
          campaignId: id,
          recipient: round * 10 + i,
          messageId: `R${round}${i}`,
          status: "delivered",
        }),
      );
      await postEvents(batch);
      await abortAllDurableObjects();
      await postEvents(batch);
    }
    const snapshot = await snapshotOf(id);
    expect(snapshot.counts).toMatchObject({ delivered: 30, pending: 0, total: 30 });
    expect(snapshot.counts).toEqual(funnelOf((await d1Statuses(id)).values()));
  });
});

describe("reconciling counters with D1", () => {
  it("should repair counters forced to drift and report the difference", async () => {
    const { id } = await sendingCampaign(4);
    await postEvents([
      ev({ type: "ack", campaignId: id, recipient: 0, messageId: "A", status: "read" }),
    ]);
    await runInDurableObject(roomOf(env, id), (_room, state) => {
      state.storage.sql.exec("UPDATE counts SET n = n + 7 WHERE rank = 2");
    });
    await evictDurableObject(roomOf(env, id));
    expect((await snapshotOf(id)).counts.sent).toBe(8);
    const res = await api(`/api/campaigns/${id}/reconcile`, { method: "POST" });
    const report = await res.json<{ before: { sent: number }; after: { sent: number } }>();
    expect(res.status).toBe(200);
    expect(report.before.sent).toBe(8);
    expect(report.after.sent).toBe(1);
    expect((await snapshotOf(id)).counts).toEqual(funnelOf((await d1Statuses(id)).values()));
  });

  it("should lift the object to statuses that only D1 kept", async () => {
    const { id } = await sendingCampaign(3);
    await env.DB.prepare(
      "UPDATE recipients SET status = 'delivered', delivered_at = 5 " +
        "WHERE campaign_id = ? AND idx < 2",
    )
      .bind(id)
      .run();
    const res = await api(`/api/campaigns/${id}/reconcile`, { method: "POST" });
    expect((await res.json<{ lifted: number }>()).lifted).toBe(2);
    expect((await snapshotOf(id)).counts).toMatchObject({ delivered: 2, pending: 1 });
  });

  it("should reconcile active campaigns from the cron trigger", async () => {
    const { id } = await sendingCampaign(2);
    await startCampaign(id);
    await env.DB.prepare("UPDATE recipients SET status = 'sent' WHERE campaign_id = ? AND idx = 0")
      .bind(id)
      .run();
    const { default: worker } = await import("../../worker/index.ts");
    const ctx = createExecutionContext();
    await worker.scheduled({} as ScheduledController, env as unknown as Env, ctx);
    const { waitOnExecutionContext } = await import("cloudflare:test");
    await waitOnExecutionContext(ctx);
    expect((await snapshotOf(id)).counts.sent).toBe(1);
  });
});

describe("a burst at one campaign", () => {
  it("should apply 2,000 single-event requests with every answer 2xx or retryable", async () => {
    const total = 500;
    const { id } = await sendingCampaign(total);
    const statuses = ["sent", "delivered", "read", "delivered"] as const;
    const requests = Array.from({ length: 2000 }, (_, i) =>
      ev({
        type: "ack",
        campaignId: id,
        recipient: i % total,
        messageId: `M${i % total}`,
        status: statuses[Math.floor(i / total)]!,
      }),
    );
    const answers: number[] = [];
    const started = Date.now();
    for (let i = 0; i < requests.length; i += 50) {
      const wave = requests.slice(i, i + 50).map(async (event) => {
        let res = await postEvents([event]);
        while (res.status === 503) res = await postEvents([event]);
        answers.push(res.status);
      });
      await Promise.all(wave);
    }
    console.log(`burst: 2000 requests in ${Date.now() - started} ms`);
    expect(answers.every((s) => s === 200)).toBe(true);
    expect((await snapshotOf(id)).counts).toMatchObject({
      total,
      read: total,
      delivered: total,
      sent: total,
    });
  }, 120_000);
});

describe("an alarm that throws once", () => {
  it("should leave the broadcast due, so the retried alarm sends it", async () => {
    const { id, link } = await sendingCampaign(1);
    const live = await openLive(id, link);
    await postEvents([
      ev({ type: "ack", campaignId: id, recipient: 0, messageId: "A", status: "sent" }),
    ]);
    const stub = roomOf(env, id);
    const failed = await runInDurableObject(stub, async (room) => {
      const original = room.snapshot.bind(room);
      room.snapshot = () => {
        throw new Error("injected: storage hiccup");
      };
      try {
        await room.alarm();
        return false;
      } catch {
        return true;
      } finally {
        room.snapshot = original;
      }
    });
    expect(failed).toBe(true);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await until(() => live.messages.at(-1)?.counts.sent === 1);
    expect(live.messages.at(-1)!.counts.sent).toBe(1);
    live.socket.close();
  });
});
