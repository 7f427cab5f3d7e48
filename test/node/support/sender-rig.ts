import type { ClaimedMessage } from "../../../domain/events.ts";
import type { SpeedTierName } from "../../../domain/speed-tiers.ts";
import { AckAdapter } from "../../../gateway/ack-adapter.ts";
import { DailyCap } from "../../../gateway/daily-cap.ts";
import { FixedPacer, type Pacer } from "../../../gateway/pacing.ts";
import { Sender } from "../../../gateway/sender.ts";
import { SessionTracker } from "../../../gateway/session.ts";
import { GatewayStore } from "../../../gateway/store/gateway-store.ts";
import { LedgerSink, SendLedger } from "../../../gateway/store/send-ledger.ts";
import { ManualClient, RecordingSink, silentLog } from "./fakes.ts";

export const CAMPAIGN = "c_0123456789abcdef";

export function claimed(recipient: number, tier: SpeedTierName = "fast"): ClaimedMessage {
  return {
    campaignId: CAMPAIGN,
    recipient,
    phone: `1555${String(recipient).padStart(7, "0")}`,
    text: `Hi ${recipient}`,
    tier,
    leaseExpiresAt: 0,
  };
}

export interface RigOptions {
  queue?: ClaimedMessage[];
  pacer?: Pacer;
  dailyCap?: number;
  onClaim?: () => void;
  catchUp?: () => Promise<void>;
  /** Replaces the queue's claim, for a claim the test answers by hand. */
  claim?: (signal: AbortSignal) => Promise<ClaimedMessage[]>;
}

/** A sender wired to an in-memory store, a manual client and a queue. */
export function senderRig(options: RigOptions = {}) {
  const recorded = new RecordingSink();
  const store = new GatewayStore(":memory:");
  const ledger = new SendLedger(store);
  const sink = new LedgerSink(store, ledger, recorded);
  const client = new ManualClient();
  const session = new SessionTracker(sink, silentLog);
  const acks = new AckAdapter({ sink, log: silentLog });
  const queue = [...(options.queue ?? [])];
  let claims = 0;
  const sender = new Sender({
    client,
    claim: async (signal) => {
      if (options.claim) return options.claim(signal);
      claims += 1;
      options.onClaim?.();
      return queue.splice(0, 1);
    },
    acks,
    session,
    pacer: options.pacer ?? new FixedPacer(1_000),
    store,
    ledger,
    dailyCap: new DailyCap(ledger, options.dailyCap ?? 1_000),
    catchUp: options.catchUp,
    idlePollMs: 5_000,
    sendTimeoutMs: 30_000,
    log: silentLog,
  });
  return {
    sink: recorded,
    store,
    ledger,
    client,
    session,
    acks,
    sender,
    queue,
    claims: () => claims,
  };
}

/** Settles each send as soon as it is made, recording when it was made. */
export function answerAtOnce(client: ManualClient): number[] {
  const sentAt: number[] = [];
  client.onSend = (chatId) => {
    sentAt.push(Date.now());
    const id = `true_${chatId}_3EB0${sentAt.length.toString(16).toUpperCase()}`;
    queueMicrotask(() => client.sends.at(-1)!.resolve({ id }));
  };
  return sentAt;
}
