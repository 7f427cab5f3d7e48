import { describe, expect, it } from "vitest";
import { AckAdapter } from "../../gateway/ack-adapter.ts";
import { Reconciler } from "../../gateway/reconciler.ts";
import { GatewayStore } from "../../gateway/store/gateway-store.ts";
import { LedgerSink, SendLedger } from "../../gateway/store/send-ledger.ts";
import { ManualClient, RecordingSink, silentLog } from "./support/fakes.ts";

const ref = { campaignId: "c_0123456789abcdef", recipient: 7 };
const CHAT = "15550000007@c.us";
const TEXT = "Hi Ana";

/** A gateway's store after a crash, and a fresh adapter as a restart has. */
function afterRestart() {
  const store = new GatewayStore(":memory:");
  const ledger = new SendLedger(store);
  const sink = new RecordingSink();
  const acks = new AckAdapter({ sink: new LedgerSink(store, ledger, sink), log: silentLog });
  const client = new ManualClient();
  const reconciler = new Reconciler({ client, store, ledger, acks, log: silentLog });
  return { store, ledger, sink, acks, client, reconciler };
}

describe("catching up after a restart", () => {
  it("should report a send whose answer was lost once it is found in its chat", async () => {
    const { ledger, sink, client, reconciler } = afterRestart();
    ledger.start(ref, CHAT, TEXT);
    const id = `true_${CHAT}_3EB0C0FFEE`;
    const timestamp = Math.floor(Date.now() / 1000);
    client.history.push({ id: `true_${CHAT}_3EB0OTHER`, ack: 3, body: "hello", timestamp });
    client.history.push({ id, ack: 2, body: TEXT, timestamp });
    await reconciler.run();
    expect(sink.events).toMatchObject([
      { type: "send_result", ...ref, messageId: "3EB0C0FFEE" },
      { type: "ack", ...ref, status: "delivered" },
    ]);
    expect(ledger.unsettled()).toEqual([]);
    expect(ledger.find(ref)).toMatchObject({ serializedId: id, status: "delivered" });
  });

  it("should leave a send pending and unsent when it is not in its chat", async () => {
    const { ledger, sink, client, reconciler } = afterRestart();
    ledger.start(ref, CHAT, TEXT);
    const old = Math.floor(Date.now() / 1000) - 3_600;
    client.history.push({ id: `true_${CHAT}_3EB0OLD`, ack: 3, body: TEXT, timestamp: old });
    await reconciler.run();
    expect(sink.events).toEqual([]);
    expect(client.sends).toEqual([]);
    expect(ledger.unsettled()).toMatchObject([ref]);
  });

  it("should report acks that came while nobody listened", async () => {
    const { ledger, sink, acks, client, reconciler } = afterRestart();
    ledger.start(ref, CHAT, TEXT);
    ledger.note({ type: "send_result", ...ref, messageId: "3EB0AB" });
    acks.restore("3EB0AB", ref, "pending");
    client.history.push({ id: `true_${CHAT}_3EB0AB`, ack: 3 });
    await reconciler.run();
    expect(sink.ofType("ack")).toMatchObject([{ ...ref, status: "read" }]);
    expect(ledger.unfinished(60_000)).toEqual([]);
  });

  it("should not read back messages already read", async () => {
    const { ledger, sink, acks, client, reconciler } = afterRestart();
    ledger.start(ref, CHAT, TEXT);
    ledger.note({ type: "send_result", ...ref, messageId: "3EB0AB" });
    ledger.note({ type: "ack", ...ref, messageId: "3EB0AB", status: "read" });
    acks.restore("3EB0AB", ref, "read");
    client.history.push({ id: `true_${CHAT}_3EB0AB`, ack: 4 });
    await reconciler.run();
    expect(sink.events).toEqual([]);
  });
});
