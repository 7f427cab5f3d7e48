import {
  env,
  evictDurableObject,
  runDurableObjectAlarm,
  runInDurableObject,
} from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { roomOf } from "../../worker/campaigns/room.ts";
import { d1Statuses, funnelOf } from "./d1-truth.ts";
import { ev, postEvents, sendingCampaign, snapshotOf } from "./helpers.ts";

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
