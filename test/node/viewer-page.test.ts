import { describe, expect, it } from "vitest";
import { formatAgo, formatRate } from "../../app/lib/format.ts";
import { liveSocketUrl, routeFromLocation } from "../../app/lib/route.ts";
import { newerSnapshot, parseSnapshot, type Snapshot } from "../../app/lib/snapshot.ts";

function snapshot(version: number, sent = 1): Snapshot {
  return {
    type: "snapshot",
    version,
    updatedAt: 0,
    campaign: {
      id: "c_1",
      name: "Winter sale",
      state: "sending",
      pausedReason: null,
      total: 3,
      createdAt: 0,
      startedAt: 0,
      completedAt: null,
    },
    counts: {
      total: 3,
      pending: 3 - sent,
      sent,
      delivered: 0,
      read: 0,
      played: 0,
      failed: 0,
    },
    rates: { delivery: 0, read: 0, success: 1 },
  };
}

describe("viewer page routes", () => {
  it("should read the campaign and token from a campaign link", () => {
    expect(routeFromLocation("/c/c_abc", "?t=tok")).toEqual({
      kind: "campaign",
      campaignId: "c_abc",
      token: "tok",
    });
  });

  it("should call a link without token or campaign incomplete", () => {
    expect(routeFromLocation("/c/c_abc", "")).toEqual({
      kind: "incomplete-link",
      missing: "token",
    });
    expect(routeFromLocation("/c/", "?t=tok")).toEqual({
      kind: "incomplete-link",
      missing: "campaign",
    });
  });

  it("should show the landing text on any other path", () => {
    expect(routeFromLocation("/", "")).toEqual({ kind: "landing" });
    expect(routeFromLocation("/campaigns/c_1", "?t=x")).toEqual({
      kind: "landing",
    });
  });

  it("should open wss on an https page and escape the token", () => {
    const url = liveSocketUrl({ protocol: "https:", host: "ticks.example" }, "c_1", "a+b/c=");
    expect(url).toBe("wss://ticks.example/api/campaigns/c_1/live?t=a%2Bb%2Fc%3D");
  });
});

describe("viewer page snapshots", () => {
  it("should keep the shown snapshot when an older version arrives", () => {
    const shown = snapshot(12, 2);
    expect(newerSnapshot(shown, snapshot(11, 1))).toBe(shown);
    expect(newerSnapshot(shown, snapshot(13, 3)).counts.sent).toBe(3);
  });

  it("should drop pong and malformed frames", () => {
    expect(parseSnapshot("pong")).toBeNull();
    expect(parseSnapshot("{not json")).toBeNull();
    expect(parseSnapshot(JSON.stringify({ type: "snapshot" }))).toBeNull();
    const parsed = parseSnapshot(JSON.stringify(snapshot(5)));
    expect(parsed?.version).toBe(5);
  });

  it("should show a dash for a rate with nothing measured yet", () => {
    expect(formatRate(0, 0)).toBe("–");
  });

  it("should not show a time ahead when the server clock is ahead", () => {
    expect(formatAgo(10_000, 5_000)).toBe(formatAgo(5_000, 5_000));
  });
});
