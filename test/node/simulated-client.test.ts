import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseMessageId } from "../../domain/message-id.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serializedIdOf } from "../../gateway/ack-adapter.ts";
import { SimulatedClient } from "../../gateway/client/simulated.ts";
import {
  ackAt,
  readSimulatedState,
  type SendRecord,
} from "../../gateway/client/simulated-state.ts";

const SENDS = 400;

/** Sends to SENDS numbers and lets the simulated hour pass. */
async function runCampaign(seed: number, timeScale = 1) {
  const client = new SimulatedClient({ seed, timeScale });
  const start = Date.now();
  const highestAck = new Map<string, number>();
  client.on("message_ack", (message, ack) => {
    const key = parseMessageId(message.id)!.key;
    highestAck.set(key, Math.max(ack === -1 ? 1.5 : ack, highestAck.get(key) ?? -2));
  });
  const outcomes: Array<{ key?: string; error?: string; settledAt: number }> = [];
  const settledAt = () => Date.now() - start;
  for (let n = 0; n < SENDS; n++) {
    client.sendMessage(`1555${String(n).padStart(7, "0")}@c.us`).then(
      ({ id }) => outcomes.push({ key: parseMessageId(id)!.key, settledAt: settledAt() }),
      (error: Error) => outcomes.push({ error: error.message, settledAt: settledAt() }),
    );
  }
  await vi.advanceTimersByTimeAsync(3_600_000 * timeScale);
  await client.destroy();
  return { client, outcomes, highestAck };
}

const share = (count: number) => count / SENDS;

describe("simulated client", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("delivers nearly all, reads most, fails a few, like a real campaign", async () => {
    const { outcomes, highestAck } = await runCampaign(7);
    const acks = [...highestAck.values()];
    const refused = outcomes.filter((outcome) => outcome.error).length;
    const errorAcks = acks.filter((ack) => ack === 1.5).length;
    expect(share(acks.filter((ack) => ack >= 2).length)).toBeGreaterThan(0.9);
    expect(share(acks.filter((ack) => ack === 3).length)).toBeGreaterThan(0.6);
    expect(share(acks.filter((ack) => ack === 3).length)).toBeLessThan(0.8);
    expect(share(refused + errorAcks)).toBeGreaterThan(0.01);
    expect(share(refused + errorAcks)).toBeLessThan(0.06);
  });

  it("rejects refused sends with error texts whatsapp-web.js gives", async () => {
    const { outcomes } = await runCampaign(7);
    const errors = new Set(outcomes.flatMap((outcome) => outcome.error ?? []));
    expect([...errors].sort()).toEqual([
      "Evaluation failed: Error: wid error: invalid wid",
      "No LID for user",
    ]);
  });

  it("answers sendMessage within 0.1 to 0.6 s", async () => {
    const { outcomes } = await runCampaign(3);
    const times = outcomes.map((outcome) => outcome.settledAt);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...times)).toBeLessThanOrEqual(600);
  });

  it("plays the same campaign for the same seed", async () => {
    const first = await runCampaign(11);
    const second = await runCampaign(11);
    expect(second.outcomes).toEqual(first.outcomes);
  });

  it("speeds everything up by the time scale", async () => {
    const { outcomes, highestAck } = await runCampaign(7, 0.01);
    expect(Math.max(...outcomes.map((outcome) => outcome.settledAt))).toBeLessThanOrEqual(6);
    expect([...highestAck.values()].filter((ack) => ack === 3).length).toBeGreaterThan(SENDS / 2);
  });

  it("gives ids in whatsapp-web.js's raw shape", async () => {
    const client = new SimulatedClient({ seed: 1 });
    const sending = client.sendMessage("15550001111@c.us");
    await vi.advanceTimersByTimeAsync(1_000);
    const { id } = await sending.catch(() => client.sendMessage("15550001111@c.us"));
    expect(id).toMatchObject({
      fromMe: true,
      remote: "15550001111@c.us",
      id: expect.stringMatching(/^3EB0[0-9A-F]{16}$/),
      _serialized: expect.stringMatching(/^true_15550001111@c\.us_3EB0[0-9A-F]{16}$/),
    });
  });

  it("counts how often each chat was sent a message", async () => {
    const client = new SimulatedClient({ seed: 1 });
    void client.sendMessage("15550001111@c.us").catch(() => {});
    void client.sendMessage("15550001111@c.us").catch(() => {});
    void client.sendMessage("15550002222@c.us").catch(() => {});
    expect(client.sendCount("15550001111@c.us")).toBe(2);
    expect(client.chatsMessagedMoreThanOnce()).toEqual(["15550001111@c.us"]);
    await client.destroy();
  });
});

describe("simulated client across restarts", () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const stateFile = () => {
    dirs.push(mkdtempSync(join(tmpdir(), "ticks-sim-")));
    return join(dirs.at(-1)!, "sim.jsonl");
  };

  it("counts sends per chat across processes sharing a state file", async () => {
    const path = stateFile();
    const first = new SimulatedClient({ seed: 3, stateFile: path });
    void first.sendMessage("15550001111@c.us", "Hi").catch(() => {});
    await first.destroy();
    const second = new SimulatedClient({ seed: 3, stateFile: path });
    void second.sendMessage("15550001111@c.us", "Hi").catch(() => {});
    expect(second.chatsMessagedMoreThanOnce()).toEqual(["15550001111@c.us"]);
    const records = readSimulatedState(path).filter((record) => record.type === "send");
    expect(records).toHaveLength(2);
    await second.destroy();
  });

  it("answers the current ack after a restart and plays acks still due", async () => {
    const path = stateFile();
    const first = new SimulatedClient({ seed: 5, stateFile: path });
    const sent = [];
    for (let n = 0; n < 20; n++) {
      const sending = first.sendMessage(`15550000${String(n).padStart(3, "0")}@c.us`, "Hi");
      await vi.advanceTimersByTimeAsync(1_000);
      sent.push(await sending.catch(() => null));
    }
    await first.destroy();
    await vi.advanceTimersByTimeAsync(30_000);
    const second = new SimulatedClient({ seed: 5, stateFile: path });
    const later: number[] = [];
    second.on("message_ack", (_, ack) => later.push(ack));
    await second.initialize();
    const message = sent.find((one) => one !== null)!;
    const record = readSimulatedState(path).find(
      (one): one is SendRecord =>
        one.type === "send" && one.plan.id._serialized === serializedIdOf(message),
    );
    const now = await second.getMessageById(serializedIdOf(message)!);
    expect(now?.ack).toBe(ackAt(record!, Date.now()));
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(later.filter((ack) => ack === 3).length).toBeGreaterThan(0);
    await second.destroy();
  });

  it("says a share of numbers are not on WhatsApp, the same ones every time", async () => {
    const client = new SimulatedClient({ seed: 9, unregisteredShare: 0.1 });
    const phones = Array.from({ length: 500 }, (_, n) => `1555${String(n).padStart(7, "0")}@c.us`);
    const first = await Promise.all(phones.map((chat) => client.isRegisteredUser(chat)));
    const again = await Promise.all(phones.map((chat) => client.isRegisteredUser(chat)));
    expect(again).toEqual(first);
    const share = first.filter((registered) => !registered).length / phones.length;
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.15);
  });

  it("loses the session at the nth send and is ready again after the pause", async () => {
    const client = new SimulatedClient({ seed: 1, disconnect: { atSend: 2, forMs: 5_000 } });
    const states: string[] = [];
    client.on("disconnected", () => states.push("disconnected"));
    client.on("ready", () => states.push("ready"));
    void client.sendMessage("15550000001@c.us", "Hi").catch(() => {});
    await expect(client.sendMessage("15550000002@c.us", "Hi")).rejects.toThrow(/Session closed/);
    await expect(client.sendMessage("15550000003@c.us", "Hi")).rejects.toThrow(/Session closed/);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(states).toEqual(["disconnected", "ready"]);
    expect(await client.fetchRecentFromMe("15550000002@c.us", 5)).toHaveLength(
      client.sendCount("15550000002@c.us"),
    );
    await client.destroy();
  });
});
