import {
  env,
  evictDurableObject,
  runDurableObjectAlarm,
  runInDurableObject,
} from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { roomOf } from "../../worker/campaigns/room.ts";
import { d1Statuses, funnelOf } from "./d1-truth.ts";
import { api, ev, postEvents, sendingCampaign, snapshotOf } from "./helpers.ts";

interface Stored {
  dirty: string | null;
  rows: number;
  sent: number;
}

/** What the object's storage holds, read without waking its code paths. */
async function stored(id: string): Promise<Stored> {
  return runInDurableObject(roomOf(env, id), (_room, state) => {
    const sql = state.storage.sql;
    const dirty = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'dirty'");
    const rows = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM statuses").one().n;
    const sent = sql.exec<{ n: number }>("SELECT n FROM counts WHERE rank = 2").toArray();
    return { dirty: dirty.toArray()[0]?.value ?? null, rows, sent: sent[0]?.n ?? 0 };
  });
}

function sentAck(id: string, recipient: number) {
  return ev({
    type: "ack",
    campaignId: id,
    recipient,
    messageId: `W${recipient}`,
    status: "sent",
  });
}

describe("a campaign object saving once per broadcast window", () => {
  it("should hold a batch in memory, marked dirty, until the window's alarm saves it", async () => {
    const { id } = await sendingCampaign(3);
    expect((await postEvents([sentAck(id, 0), sentAck(id, 1)])).status).toBe(200);
    expect(await stored(id)).toEqual({ dirty: "1", rows: 0, sent: 0 });
    expect(await runDurableObjectAlarm(roomOf(env, id))).toBe(true);
    expect(await stored(id)).toEqual({ dirty: "0", rows: 2, sent: 2 });
  });

  it("should save before a read, so what is shown is what is stored", async () => {
    const { id } = await sendingCampaign(2);
    await postEvents([sentAck(id, 1)]);
    expect((await snapshotOf(id)).counts.sent).toBe(1);
    expect(await stored(id)).toEqual({ dirty: "0", rows: 1, sent: 1 });
  });

  it("should catch up from D1 after a restart that lost unsaved changes", async () => {
    const { id } = await sendingCampaign(4);
    await postEvents([sentAck(id, 0)]);
    const shown = await snapshotOf(id);
    await postEvents([sentAck(id, 1), sentAck(id, 2)]);
    // Kept by D1 only, as when the object's call was lost on the way.
    await env.DB.prepare(
      "UPDATE recipients SET status = 'read', read_at = 9 WHERE campaign_id = ? AND idx = 3",
    )
      .bind(id)
      .run();
    expect((await stored(id)).dirty).toBe("1");
    await evictDurableObject(roomOf(env, id));
    const after = await snapshotOf(id);
    expect(after.counts).toEqual(funnelOf((await d1Statuses(id)).values()));
    expect(after.counts).toMatchObject({ sent: 4, read: 1, pending: 0 });
    // Past any version the lost instance could have shown (at most 1,000).
    expect(after.version).toBeGreaterThan(shown.version + 1_000);
    expect(await stored(id)).toMatchObject({ dirty: "0", rows: 4 });
  });

  it("should not count an event twice when its batch is retried after the catch-up", async () => {
    const { id } = await sendingCampaign(2);
    const batch = [sentAck(id, 0)];
    await postEvents(batch);
    await evictDurableObject(roomOf(env, id));
    await postEvents(batch);
    expect((await snapshotOf(id)).counts).toMatchObject({ sent: 1, pending: 1, total: 2 });
  });
});

async function d1CampaignState(id: string): Promise<string> {
  const row = await env.DB.prepare("SELECT state FROM campaigns WHERE id = ?")
    .bind(id)
    .first<{ state: string }>();
  return row!.state;
}

/** Makes the next D1 write to `campaigns` fail after 50 ms, as a lost connection. */
function failNextCampaignWrite(): () => void {
  const proto = Object.getPrototypeOf(env.DB.prepare("SELECT 1"));
  const saved: Record<string, (...args: unknown[]) => unknown> = {};
  let failed = false;
  for (const method of ["run", "all", "raw", "first"]) {
    saved[method] = proto[method];
    proto[method] = function (this: { statement?: string }, ...args: unknown[]) {
      if (!failed && /update\s+"?campaigns"?/i.test(String(this.statement ?? ""))) {
        failed = true;
        return new Promise((_, reject) =>
          setTimeout(() => reject(new Error("D1_ERROR: Network connection lost.")), 50),
        );
      }
      return saved[method]!.apply(this, args);
    };
  }
  return () => Object.assign(proto, saved);
}

describe("a campaign object catching up from D1", () => {
  it("should time latencies by the stage times D1 kept, not by the latest", async () => {
    const { id } = await sendingCampaign(2);
    const t0 = Date.now() - 600_000;
    const ack = (status: "sent" | "delivered" | "read", at: number) =>
      ev({ type: "ack", campaignId: id, recipient: 0, messageId: "M0", status }, at);
    await postEvents([ev({ type: "send_started", campaignId: id, recipient: 0 }, t0)]);
    await snapshotOf(id);
    await postEvents([ack("delivered", t0 + 1_000), ack("read", t0 + 300_000)]);
    await evictDurableObject(roomOf(env, id));
    const { latency } = await snapshotOf(id);
    expect(latency.deliver.p50).toBeGreaterThan(900);
    expect(latency.deliver.p50).toBeLessThan(1_100);
    expect(latency.read.p50).toBeGreaterThan(280_000);
  });

  it("should keep the send time of a recipient it lifted from queued", async () => {
    const { id } = await sendingCampaign(2);
    const t0 = Date.now() - 600_000;
    await postEvents([
      ev({ type: "send_started", campaignId: id, recipient: 0 }, t0),
      ev(
        { type: "ack", campaignId: id, recipient: 0, messageId: "M0", status: "delivered" },
        t0 + 200_000,
      ),
    ]);
    await evictDurableObject(roomOf(env, id));
    await snapshotOf(id);
    await postEvents([
      ev(
        { type: "ack", campaignId: id, recipient: 0, messageId: "M0", status: "read" },
        t0 + 201_000,
      ),
    ]);
    expect((await snapshotOf(id)).latency.read.p50).toBeGreaterThan(190_000);
  });

  it("should draw the final counts on the chart of a campaign it completed", async () => {
    const { id } = await sendingCampaign(3);
    await postEvents([sentAck(id, 0)]);
    await env.DB.prepare(
      "UPDATE recipients SET status = 'sent', sent_at = ? WHERE campaign_id = ? AND idx IN (1, 2)",
    )
      .bind(Date.now(), id)
      .run();
    await evictDurableObject(roomOf(env, id));
    const snapshot = await snapshotOf(id);
    expect(snapshot.campaign.state).toBe("completed");
    expect(snapshot.timeline.at(-1)?.sent).toBe(3);
    expect(await d1CampaignState(id)).toBe("completed");
  });

  it("should stay dirty and complete the campaign in D1 later when telling D1 fails", async () => {
    const { id } = await sendingCampaign(2);
    await postEvents([sentAck(id, 0)]);
    await env.DB.prepare(
      "UPDATE recipients SET status = 'sent', sent_at = 5 WHERE campaign_id = ? AND idx = 1",
    )
      .bind(id)
      .run();
    await evictDurableObject(roomOf(env, id));
    const restore = failNextCampaignWrite();
    try {
      expect((await api(`/api/campaigns/${id}`)).status).toBe(503);
    } finally {
      restore();
    }
    expect((await snapshotOf(id)).campaign.state).toBe("completed");
    expect(await d1CampaignState(id)).toBe("completed");
  });

  it("should not count recipients past the total the object knows", async () => {
    const { id } = await sendingCampaign(2);
    // D1 ahead of the object, as after an upload whose last resize was lost.
    await env.DB.batch([
      env.DB.prepare("UPDATE campaigns SET total = 4 WHERE id = ?").bind(id),
      env.DB.prepare(
        "INSERT INTO recipients (campaign_id, idx, phone, status, sent_at) " +
          "VALUES (?1, 2, '15550009992', 'sent', 5), (?1, 3, '15550009993', 'sent', 5)",
      ).bind(id),
    ]);
    await postEvents([sentAck(id, 0)]);
    await evictDurableObject(roomOf(env, id));
    expect((await snapshotOf(id)).counts).toMatchObject({ total: 2, pending: 1, sent: 1 });
  });
});
