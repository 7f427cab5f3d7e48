import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TraceClient } from "../../gateway/client/trace.ts";
import { readTraceFile, type Trace } from "../../gateway/client/trace-file.ts";

const CASES = new URL("../../../shared/cases/", import.meta.url);
const caseFile = (name: string) => readTraceFile(new URL(`${name}.json`, CASES).pathname);

/** Everything the client does, as `<ms> <what>` lines. */
function record(client: TraceClient): string[] {
  const seen: string[] = [];
  const note = (what: string) => seen.push(`${Date.now()} ${what}`);
  client.on("ready", () => note("ready"));
  client.on("message_ack", (message, ack) => note(`ack ${ack} ${JSON.stringify(message.id)}`));
  client.on("disconnected", (reason) => note(`disconnected ${reason}`));
  return seen;
}

function send(client: TraceClient, phone: string, seen: string[]): void {
  client.sendMessage(`${phone}@c.us`).then(
    (message) => seen.push(`${Date.now()} resolved ${JSON.stringify(message?.id ?? null)}`),
    (error: Error) => seen.push(`${Date.now()} rejected ${error.message}`),
  );
}

describe("trace client", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("plays a recipient's events at their times after sendMessage, acks first if so", async () => {
    const client = new TraceClient(await caseFile("ack-before-send-resolves"));
    const seen = record(client);
    await client.initialize();
    await vi.advanceTimersByTimeAsync(100);
    send(client, "15550001111", seen);
    await vi.advanceTimersByTimeAsync(100);
    const id = JSON.stringify("true_15550001111@c.us_3EB0A1B2C3D4E5F60718");
    expect(seen).toEqual(["0 ready", `110 ack 1 ${id}`, `115 ack 2 ${id}`, `180 resolved ${id}`]);
  });

  it("hands over id objects exactly as the trace gives them", async () => {
    const trace = await caseFile("lid-and-phone-ids");
    const client = new TraceClient(trace);
    const ids: unknown[] = [];
    client.on("message_ack", (message) => ids.push(message.id));
    void client.sendMessage("15550001111@c.us");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ids).toEqual(trace.events.slice(1).map((event) => "id" in event && event.id));
  });

  it("rejects sendMessage with the trace's error text", async () => {
    const client = new TraceClient(await caseFile("unresolvable-contact"));
    const seen: string[] = [];
    send(client, "15550002222", seen);
    await vi.advanceTimersByTimeAsync(10);
    expect(seen).toEqual(["5 rejected No LID for user"]);
  });

  it("keeps file order for events at the same time", async () => {
    const client = new TraceClient(await caseFile("repeated-acks"));
    const seen = record(client);
    send(client, "15550002222", seen);
    send(client, "15550001111", seen);
    await vi.advanceTimersByTimeAsync(100);
    expect(seen.map((line) => line.split(" ").slice(0, 3).join(" "))).toEqual([
      '0 resolved "true_15550002222@c.us_3EB0B2C3D4E5F6071829"',
      '0 resolved "true_15550001111@c.us_3EB0A1B2C3D4E5F60718"',
      "25 ack 1",
      "26 ack 1",
      "27 ack 1",
      "30 ack 2",
      "30 ack 2",
      "30 ack 2",
      "30 ack 2",
    ]);
  });

  it("emits disconnected and plays nothing more after it", async () => {
    const client = new TraceClient(await caseFile("session-lost-mid-campaign"));
    const seen = record(client);
    send(client, "15550002222", seen);
    await vi.advanceTimersByTimeAsync(100);
    send(client, "15550003333", seen);
    await vi.advanceTimersByTimeAsync(100);
    expect(seen.slice(-2)).toEqual([
      "30 disconnected NAVIGATION",
      "100 rejected Session closed: the trace client is disconnected",
    ]);
  });

  it("finishes once every recipient was sent to and every event played", async () => {
    const trace: Trace = await caseFile("in-order");
    const client = new TraceClient(trace);
    let finishedAt: number | undefined;
    void client.whenFinished().then(() => (finishedAt = Date.now()));
    for (const { phone } of trace.recipients) send(client, phone, []);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(finishedAt).toBe(120);
  });

  it("counts the sends per recipient", async () => {
    const client = new TraceClient(await caseFile("in-order"));
    void client.sendMessage("15550001111@c.us");
    await expect(client.sendMessage("15550001111@c.us")).rejects.toThrow("one send");
    expect([client.sendCount("15550001111"), client.sendCount("15550002222")]).toEqual([2, 0]);
  });
});
