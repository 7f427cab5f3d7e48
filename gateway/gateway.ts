import type { Logger } from "pino";
import type { ClaimedMessage } from "../domain/events.ts";
import { AckAdapter, watchSession } from "./ack-adapter.ts";
import type { MessagingClient } from "./client/types.ts";
import { EventBatcher } from "./event-batcher.ts";
import type { PacingConfig } from "./pacing.ts";
import { Sender } from "./sender.ts";
import { SessionTracker } from "./session.ts";
import { sleep } from "./sleep.ts";
import { WorkerApi, type RetryPolicy } from "./worker-api.ts";

export interface GatewayOptions {
  client: MessagingClient;
  workerUrl: string;
  gatewayId: string;
  secret: string;
  pacing: PacingConfig;
  log: Logger;
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
  readonly batcher: EventBatcher;
  readonly session: SessionTracker;
  readonly acks: AckAdapter;
  readonly sender: Sender;
  private readonly detach: Array<() => void> = [];
  private readonly log: Logger;

  constructor(private readonly options: GatewayOptions) {
    const { client } = options;
    const log = options.log.child({ gatewayId: options.gatewayId });
    this.log = log;
    this.api = new WorkerApi({
      baseUrl: options.workerUrl,
      gatewayId: options.gatewayId,
      secret: options.secret,
      retry: options.retry,
      log,
    });
    this.batcher = new EventBatcher({
      gatewayId: options.gatewayId,
      post: (events) => this.api.postEvents(events),
      flushIntervalMs: options.flushIntervalMs,
      log,
    });
    this.session = new SessionTracker(this.batcher, log);
    this.acks = new AckAdapter({ sink: this.batcher, log });
    this.sender = new Sender({
      ...options,
      log,
      claim: () => this.claim(),
      acks: this.acks,
      session: this.session,
    });
    this.detach.push(this.acks.attach(client));
    const onState = this.session.update.bind(this.session);
    this.detach.push(watchSession(client, onState));
  }

  /** Starts the session and the send loop; the loop runs until `stop`. */
  async start(): Promise<void> {
    this.session.update("starting");
    try {
      await this.options.client.initialize();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.session.update("failed", reason);
      throw error;
    }
    void this.sender.start();
  }

  private async claim(): Promise<ClaimedMessage[]> {
    const messages = await this.api.claim(1);
    const only = this.options.onlyCampaignId;
    if (only === undefined) return messages;
    const others = messages.filter((message) => message.campaignId !== only);
    for (const { campaignId, recipient } of others) {
      const note = "not this gateway's campaign, left to its lease";
      this.log.warn({ campaignId, recipient }, note);
    }
    return messages.filter((message) => message.campaignId === only);
  }

  /** Stops claiming, closes the session, then hands over the last events. */
  async stop(): Promise<void> {
    await this.sender.stop();
    for (const stopListening of this.detach.splice(0)) stopListening();
    await this.options.client.destroy();
    this.session.update("disconnected", "gateway stopped");
    const giveUp = new AbortController();
    const drained = await Promise.race([
      this.batcher.drain().then(() => true),
      sleep(this.options.drainTimeoutMs ?? 10_000, giveUp.signal).then(() => false),
    ]);
    giveUp.abort();
    this.batcher.stop();
    if (!drained) {
      const unsent = this.batcher.pending;
      this.log.error({ unsent }, "events not handed over in time");
    }
  }
}
