import type { Logger } from "pino";
import type { ClaimedMessage } from "../domain/events.ts";
import { AckAdapter, watchSession } from "./ack-adapter.ts";
import type { MessagingClient } from "./client/types.ts";
import { DEFAULT_DAILY_CAP } from "./config.ts";
import { DailyCap } from "./daily-cap.ts";
import { EventBatcher } from "./event-batcher.ts";
import { TierPacer, type Pacer } from "./pacing.ts";
import { Reconciler } from "./reconciler.ts";
import { Sender } from "./sender.ts";
import { SessionTracker } from "./session.ts";
import { sleep } from "./sleep.ts";
import { GatewayStore } from "./store/gateway-store.ts";
import { LedgerSink, SendLedger } from "./store/send-ledger.ts";
import { SqliteOutbox } from "./store/sqlite-outbox.ts";
import { WorkerApi, type RetryPolicy } from "./worker-api.ts";

export interface GatewayOptions {
  client: MessagingClient;
  workerUrl: string;
  gatewayId: string;
  secret: string;
  log: Logger;
  /**
   * The gateway's SQLite file (GatewayStore.open). Without one the store
   * lives in memory and nothing survives the process: replays and tests.
   */
  store?: GatewayStore;
  /** Default: the campaigns' speed tiers, in real time. */
  pacer?: Pacer;
  dailyCap?: number;
  idlePollMs?: number;
  sendTimeoutMs?: number;
  flushIntervalMs?: number;
  retry?: Partial<RetryPolicy>;
  /** How long `stop` waits for the Worker to take the last events. */
  drainTimeoutMs?: number;
  /**
   * Send only this campaign's messages (replays); others claimed by chance
   * return to the queue when their lease ends.
   */
  onlyCampaignId?: string;
}

/** The gateway's parts, wired: client events in, signed batches out. */
export class Gateway {
  readonly api: WorkerApi;
  readonly store: GatewayStore;
  readonly ledger: SendLedger;
  readonly batcher: EventBatcher;
  readonly session: SessionTracker;
  readonly acks: AckAdapter;
  readonly sender: Sender;
  private readonly detach: Array<() => void> = [];
  private readonly log: Logger;

  constructor(private readonly options: GatewayOptions) {
    const { client, gatewayId } = options;
    const log = options.log.child({ gatewayId });
    this.log = log;
    this.api = new WorkerApi({ ...options, baseUrl: options.workerUrl, log });
    this.store = options.store ?? new GatewayStore(":memory:");
    this.ledger = new SendLedger(this.store);
    this.batcher = new EventBatcher({
      gatewayId,
      post: (events) => this.api.postEvents(events),
      outbox: new SqliteOutbox(this.store),
      flushIntervalMs: options.flushIntervalMs,
      log,
    });
    const sink = new LedgerSink(this.store, this.ledger, this.batcher);
    this.session = new SessionTracker(sink, log);
    this.acks = new AckAdapter({ sink, log });
    const reconciler = new Reconciler({
      client,
      store: this.store,
      ledger: this.ledger,
      acks: this.acks,
      log,
    });
    this.sender = new Sender({
      ...options,
      log,
      claim: (signal) => this.claim(signal),
      acks: this.acks,
      session: this.session,
      pacer: options.pacer ?? new TierPacer(),
      store: this.store,
      ledger: this.ledger,
      dailyCap: new DailyCap(this.ledger, options.dailyCap ?? DEFAULT_DAILY_CAP),
      catchUp: () => reconciler.run(),
    });
    this.detach.push(this.acks.attach(client));
    const onState = this.session.update.bind(this.session);
    this.detach.push(watchSession(client, onState));
  }

  /**
   * Resumes where an earlier run stopped: its events go out first, its
   * messages are tracked again, then the session starts. The send loop
   * waits for the old events to reach the Worker, so nothing already
   * handed to WhatsApp is offered to this gateway again.
   */
  async start(): Promise<void> {
    this.restoreTracking();
    this.session.update("starting");
    this.batcher.resume();
    try {
      await this.options.client.initialize();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.session.update("failed", reason);
      throw error;
    }
    void this.batcher.drain().then(() => this.sender.start());
  }

  /** Stops claiming, closes the session, then hands over the last events. */
  async stop(): Promise<void> {
    await this.sender.stop();
    for (const stopListening of this.detach.splice(0)) stopListening();
    await this.options.client.destroy();
    this.session.update("disconnected", "gateway stopped");
    await this.handOver(this.options.drainTimeoutMs ?? 10_000);
    this.store.close();
  }

  /**
   * Waits at most `waitMs` for the Worker to take the outbox. Whatever is
   * left is on disk and goes first at the next start, so a bounded wait
   * loses nothing; it only spares a stop from hanging on a dead Worker.
   */
  private async handOver(waitMs: number): Promise<void> {
    const giveUp = new AbortController();
    const drained = await Promise.race([
      this.batcher.drain().then(() => true),
      sleep(waitMs, giveUp.signal).then(() => false),
    ]);
    giveUp.abort();
    this.batcher.stop();
    if (drained) return;
    const unsent = this.batcher.pending;
    const note = "events not handed over in time; kept in the outbox for the next start";
    this.log.warn({ unsent, waitedMs: waitMs }, note);
  }

  private restoreTracking(): void {
    const entries = this.ledger.unfinished(Number.MAX_SAFE_INTEGER);
    for (const entry of entries) {
      this.acks.restore(entry.messageKey!, entry, entry.status);
    }
    const unsent = this.batcher.pending;
    this.log.info({ tracked: entries.length, unsent }, "resuming from the ledger");
  }

  private async claim(signal: AbortSignal): Promise<ClaimedMessage[]> {
    const messages = await this.api.claim(1, signal);
    const only = this.options.onlyCampaignId;
    if (only === undefined) return messages;
    const others = messages.filter((message) => message.campaignId !== only);
    for (const { campaignId, recipient } of others) {
      const note = "not this gateway's campaign, left to its lease";
      this.log.warn({ campaignId, recipient }, note);
    }
    return messages.filter((message) => message.campaignId === only);
  }
}
