import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { GatewayEvent } from "../../domain/events.ts";
import { GatewayStore } from "../../gateway/store/gateway-store.ts";
import { SendLedger } from "../../gateway/store/send-ledger.ts";
import { SqliteOutbox } from "../../gateway/store/sqlite-outbox.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "ticks-store-"));
  dirs.push(dir);
  return dir;
}

const session = (n: number): GatewayEvent => ({
  id: `gw-${n}`,
  at: 1_000 + n,
  type: "session",
  state: "ready",
});

describe("gateway store", () => {
  it("should keep unposted events in order across a reopen", () => {
    const dir = dataDir();
    const first = GatewayStore.open(dir, "gw-1");
    const outbox = new SqliteOutbox(first);
    for (let n = 0; n < 5; n++) outbox.append(session(n));
    outbox.remove(2);
    first.close();
    const reopened = new SqliteOutbox(GatewayStore.open(dir, "gw-1"));
    expect(reopened.size).toBe(3);
    expect(reopened.peek(10).map((event) => event.id)).toEqual(["gw-2", "gw-3", "gw-4"]);
  });

  it("should refuse a second gateway process on the same file", () => {
    const dir = dataDir();
    const first = GatewayStore.open(dir, "gw-1");
    expect(() => GatewayStore.open(dir, "gw-1")).toThrow(/in use by another gateway/);
    first.close();
    expect(() => GatewayStore.open(dir, "gw-1").close()).not.toThrow();
  });

  it("should roll back a transaction that throws, outbox and ledger alike", () => {
    const store = new GatewayStore(":memory:");
    const ledger = new SendLedger(store);
    const ref = { campaignId: "c_0123456789abcdef", recipient: 3 };
    expect(() =>
      store.transaction(() => {
        ledger.start(ref, "15550000003@c.us", "Hi");
        throw new Error("interrupted");
      }),
    ).toThrow("interrupted");
    expect(ledger.find(ref)).toBeUndefined();
  });

  it("should list sends without an outcome and messages that may still move", () => {
    const store = new GatewayStore(":memory:");
    const ledger = new SendLedger(store, () => 5_000);
    const ref = (recipient: number) => ({ campaignId: "c_0123456789abcdef", recipient });
    for (let n = 0; n < 4; n++) ledger.start(ref(n), `1555000000${n}@c.us`, "Hi");
    ledger.note({ type: "send_result", ...ref(1), messageId: "3EB01" });
    ledger.note({ type: "send_result", ...ref(2), messageId: "3EB02" });
    ledger.note({ type: "ack", ...ref(2), messageId: "3EB02", status: "read" });
    ledger.note({ type: "send_failed", ...ref(3), reason: "send_error", detail: "x" });
    expect(ledger.unsettled().map((entry) => entry.recipient)).toEqual([0]);
    expect(ledger.unfinished(60_000).map((entry) => entry.recipient)).toEqual([1]);
    expect(ledger.sendsOn(new Date(5_000).toLocaleDateString("sv"))).toBe(4);
  });
});
