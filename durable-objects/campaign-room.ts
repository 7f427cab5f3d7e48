import { DurableObject } from "cloudflare:workers";
import { transitionCampaign, type CampaignAction } from "../domain/campaign-state.ts";
import type { SessionState } from "../domain/events.ts";
import { funnelFromStatusCounts, ratesFromFunnel, type Funnel } from "../domain/funnel.ts";
import type { CampaignInfo, CampaignSnapshot } from "../domain/snapshot.ts";
import { statusAtRank, statusRank, type Status } from "../domain/status.ts";
import { saveCampaignState } from "../worker/campaigns/campaign-store.ts";
import { keptStatuses } from "../worker/campaigns/d1-statuses.ts";
import type { Env } from "../worker/env.ts";
import { RecipientRanks } from "./recipient-ranks.ts";
import { RoomStorage, type RoomState } from "./room-storage.ts";
import { TIMELINE_BUCKET_MS } from "./room-stats.ts";

export interface StatusChange {
  index: number;
  status: Status;
  /** when the gateway saw it, ms since epoch */
  at: number;
  /** failure reason, for a change to failed */
  reason?: string;
  /**
   * Stage times D1 kept, when the change comes from D1 (a catch-up or a
   * reconcile): latencies are then timed by them rather than by `at`.
   */
  startedAt?: number | null;
  deliveredAt?: number | null;
  readAt?: number | null;
}

export interface RepairResult {
  before: Funnel;
  after: Funnel;
  repaired: boolean;
}

export interface ApplyResult {
  changed: number;
  /** set when applying the changes moved the campaign (to completed) */
  campaign: CampaignInfo | null;
}

/** A flat shape: RPC stubs type a union's members poorly. */
export interface TransitionOutcome {
  campaign: CampaignInfo;
  changed: boolean;
  /** why the move is not allowed; the campaign is then unchanged */
  refusal: string | null;
}

const DEFAULT_BROADCAST_WINDOW_MS = 250;
const FAILED = statusRank("failed");
const DELIVERED = statusRank("delivered");
const READ = statusRank("read");
const DOWN: SessionState[] = ["disconnected", "failed"];
/**
 * Batches held unsaved at most; past it a batch saves at once. A restart
 * that lost unsaved changes moves the version on by more than this, so
 * viewers never see a version go back.
 */
const MAX_UNSAVED_CHANGES = 1_000;
/** Recipients held unsaved at most, so one save stays a modest write. */
const MAX_UNSAVED_ROWS = 20_000;

/**
 * One object per campaign: the exact counters, the campaign's state and the
 * live viewers' sockets. Counters change only through `applyStatuses`, which
 * keeps each recipient's rank, so replays and duplicates change nothing.
 * Broadcasts are coalesced: changes mark the object dirty and an alarm sends
 * one snapshot per window to every socket.
 *
 * Event batches are saved once per window too, by the same alarm: a commit
 * per batch cost about a fifth of ingest locally, and storage bills each
 * row written, so a recipient moving sent → delivered → read within one
 * window is written once. Until then the changes live in memory only; the
 * first of them marks the object `dirty` in storage (one small write), so
 * an instance that restarts after losing them knows it and catches up from
 * D1, which every event reaches before it reaches the object.
 */
export class CampaignRoom extends DurableObject<Env> {
  private readonly storage: RoomStorage;
  private readonly ranks: RecipientRanks;
  private state!: RoomState;
  /** Changes held in memory since the last save. */
  private unsaved = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.storage = new RoomStorage(ctx.storage.sql);
    this.ranks = new RecipientRanks(ctx.storage.sql);
    // Answered by the runtime without waking a hibernated object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    ctx.blockConcurrencyWhile(async () => {
      this.storage.createTables();
      this.state = this.storage.load();
      if (this.state.dirty) await this.catchUpWithD1();
    });
  }

  /** Idempotent: a second call with the campaign already set changes nothing. */
  init(campaign: CampaignInfo): CampaignInfo {
    if (this.state.campaign) return this.state.campaign;
    this.state.campaign = campaign;
    this.state.counts.queued = campaign.total;
    this.markChanged();
    return campaign;
  }

  /**
   * Follows D1's recipient count while a draft grows by uploads. Taking the
   * larger count makes a repeated or late call harmless.
   */
  setTotal(total: number): CampaignInfo | null {
    const campaign = this.state.campaign;
    if (!campaign || total <= campaign.total) return campaign;
    this.state.counts.queued += total - campaign.total;
    this.state.campaign = { ...campaign, total };
    this.markChanged();
    return this.state.campaign;
  }

  /**
   * Built once per version: reads between changes (the API, new viewers,
   * a broadcast) then run no SQL. Every change bumps the version.
   */
  private cached: { version: number; snapshot: CampaignSnapshot } | null = null;

  snapshot(): CampaignSnapshot | null {
    if (this.cached?.version === this.state.version) return this.cached.snapshot;
    // The timeline and latencies are read from storage.
    if (this.unsaved > 0) this.save();
    const snapshot = this.buildSnapshot();
    if (snapshot) this.cached = { version: snapshot.version, snapshot };
    return snapshot;
  }

  private buildSnapshot(): CampaignSnapshot | null {
    const campaign = this.state.campaign;
    if (!campaign) return null;
    const counts = funnelFromStatusCounts(this.state.counts);
    return {
      type: "snapshot",
      version: this.state.version,
      updatedAt: this.state.updatedAt,
      campaign,
      counts,
      rates: ratesFromFunnel(counts),
      timeline: this.storage.timeline(),
      latency: {
        deliver: this.storage.latency("deliver"),
        read: this.storage.latency("read"),
      },
      failures: { ...this.state.failures },
      gateways: this.storage.gateways(),
    };
  }

  transition(action: CampaignAction, at: number): TransitionOutcome | null {
    const campaign = this.state.campaign;
    if (!campaign) return null;
    const result = transitionCampaign(campaign.state, action);
    if (!result.ok) return { campaign, changed: false, refusal: result.message };
    if (result.changed) {
      this.state.campaign = {
        ...campaign,
        state: result.state,
        pausedReason: null,
        pausedBy: result.state === "paused" ? "operator" : null,
        startedAt: campaign.startedAt ?? (action === "start" ? at : null),
      };
      this.completeIfDone(at);
      this.markChanged();
    }
    const changed = result.changed;
    return { campaign: this.state.campaign!, changed, refusal: null };
  }

  /**
   * Records a gateway's session. When it goes down, a sending campaign
   * pauses with the reason; when it is ready again, a pause it caused ends.
   * Returns the campaign when its state changed.
   */
  gatewaySession(
    gatewayId: string,
    state: SessionState,
    reason: string | null,
    at: number,
  ): CampaignInfo | null {
    const campaign = this.state.campaign;
    if (!campaign) return null;
    this.storage.setGateway({ id: gatewayId, state, reason, at });
    const next = campaignAfterSession(campaign, gatewayId, state, reason);
    if (next) this.state.campaign = next;
    this.markChanged();
    return next;
  }

  /** Moves each named recipient up to `status`; never down. */
  applyStatuses(changes: StatusChange[], at: number): ApplyResult | null {
    const campaign = this.state.campaign;
    if (!campaign) return null;
    let changed = 0;
    for (const change of changes) {
      if (change.index < 0 || change.index >= campaign.total) continue;
      if (this.moveRecipient(change)) changed++;
    }
    if (changed === 0) return { changed, campaign: null };
    this.recordTimeline(at);
    const before = this.state.campaign!.state;
    this.completeIfDone(at);
    const after = this.state.campaign!;
    const moved = after.state !== before;
    // A campaign that changes state is saved at once: D1 will be told.
    this.markChanged({ deferSave: !moved });
    return { changed, campaign: moved ? after : null };
  }

  /**
   * The benchmark's floor (worker/routes/bench.ts): an RPC that takes a
   * batch and touches nothing, to measure what the platform alone costs.
   */
  floor(events: unknown[]): number {
    return events.length;
  }

  /**
   * Recounts the counters from the per-recipient rows they summarise and
   * replaces them when they differ, so a drift of any cause ends here.
   */
  repairCounters(): RepairResult | null {
    const campaign = this.state.campaign;
    if (!campaign) return null;
    if (this.unsaved > 0) this.save();
    const counts = this.storage.recount(campaign.total);
    const before = funnelFromStatusCounts(this.state.counts);
    const after = funnelFromStatusCounts(counts);
    const repaired = JSON.stringify(before) !== JSON.stringify(after);
    if (repaired) {
      this.state.counts = counts;
      this.state.failures = this.storage.recountFailures(FAILED);
      this.completeIfDone(Date.now());
      this.markChanged();
    }
    return { before, after, repaired };
  }

  private moveRecipient(change: StatusChange): boolean {
    const { index, status, at, reason } = change;
    const rank = statusRank(status);
    const current = this.ranks.get(index);
    if (rank <= current.rank) return false;
    const failureReason = rank === FAILED ? (reason ?? "send_error") : current.reason;
    const sentAt = current.sentAt ?? change.startedAt ?? null;
    this.ranks.set(index, { rank, sentAt: sentAt ?? at, reason: failureReason });
    this.state.counts[statusAtRank(current.rank)]--;
    this.state.counts[status]++;
    if (current.rank === FAILED) this.countFailure(current.reason, -1);
    if (rank === FAILED) this.countFailure(failureReason, 1);
    this.recordLatencies(current.rank, rank, sentAt, change);
    return true;
  }

  private countFailure(reason: string | null, delta: number): void {
    const key = reason ?? "send_error";
    this.state.failures[key] = (this.state.failures[key] ?? 0) + delta;
  }

  /**
   * A stage reached for the first time gives one latency sample. A stage
   * implied by a later one (read with no delivery ack) is timed by the
   * later event, which is when Ticks learnt of it.
   */
  private recordLatencies(from: number, to: number, sentAt: number | null, change: StatusChange) {
    if (sentAt === null) return;
    if (from < DELIVERED && to >= DELIVERED) {
      this.ranks.addLatency("deliver", (change.deliveredAt ?? change.at) - sentAt);
    }
    if (from < READ && to >= READ) {
      this.ranks.addLatency("read", (change.readAt ?? change.at) - sentAt);
    }
  }

  private recordTimeline(at: number): void {
    const funnel = funnelFromStatusCounts(this.state.counts);
    this.storage.recordTimeline({
      at: Math.floor(at / TIMELINE_BUCKET_MS) * TIMELINE_BUCKET_MS,
      sent: funnel.sent,
      delivered: funnel.delivered,
      read: funnel.read,
    });
  }

  private completeIfDone(at: number): void {
    const campaign = this.state.campaign!;
    const { queued, pending } = this.state.counts;
    if (campaign.state !== "sending" || queued + pending > 0) return;
    this.state.campaign = { ...campaign, state: "completed", completedAt: at };
  }

  /**
   * Bumps the version and makes sure a broadcast will follow. Saves at
   * once unless `deferSave`, which leaves the change to the next window's
   * save after marking the object dirty (once per window).
   */
  private markChanged({ deferSave = false } = {}): void {
    this.state.version++;
    this.state.updatedAt = Date.now();
    this.state.broadcastDue = true;
    const roomLeft =
      this.unsaved < MAX_UNSAVED_CHANGES && this.ranks.unsavedRows < MAX_UNSAVED_ROWS;
    if (deferSave && roomLeft) {
      this.unsaved++;
      if (!this.state.dirty) {
        this.state.dirty = true;
        this.storage.saveMeta(this.state);
      }
    } else {
      this.save();
    }
    this.ctx.waitUntil(this.scheduleBroadcast());
  }

  /** Everything held in memory, written in one synchronous stretch: one commit. */
  private save(): void {
    this.ranks.flush();
    this.storage.saveCounts(this.state.counts, this.state.failures);
    this.storage.saveTimeline();
    this.state.dirty = false;
    this.storage.saveMeta(this.state);
    this.unsaved = 0;
  }

  /**
   * The previous instance stopped with changes it had not saved. Every
   * event reaches D1 before the object, so lifting each recipient to its
   * status in D1 restores them (and anything D1 kept that never reached
   * the object); the version moves past any the lost instance showed.
   * Latencies are timed by the stage times D1 kept; the timeline gets one
   * point now for the lifted recipients, as it has no times of its own.
   */
  private async catchUpWithD1(): Promise<void> {
    const campaign = this.state.campaign;
    let lifted = 0;
    if (campaign) {
      for await (const page of keptStatuses(this.env.DB, campaign.id)) {
        for (const kept of page) {
          if (kept.index >= campaign.total) continue;
          if (this.moveRecipient(kept)) lifted++;
        }
      }
      // A campaign completed here gets no later batch to draw its chart.
      if (lifted > 0) this.recordTimeline(Date.now());
      this.completeIfDone(Date.now());
    }
    // D1 hears of a completion before the mark is cleared: if telling it
    // fails, the next instance is still dirty and does all this again.
    if (campaign && this.state.campaign!.state !== campaign.state) {
      await saveCampaignState(this.env.DB, this.state.campaign!);
    }
    this.state.version += MAX_UNSAVED_CHANGES + 1;
    this.state.updatedAt = Date.now();
    this.state.broadcastDue = true;
    this.save();
    console.warn(
      JSON.stringify({
        level: "warn",
        msg: "campaign object restarted with unsaved changes; caught up from D1",
        campaignId: campaign?.id ?? null,
        lifted,
      }),
    );
  }

  /**
   * Remembered in memory once known, so a busy object does not ask storage
   * for its alarm on every batch; after a wake it asks once.
   */
  private alarmSet: boolean | null = null;

  private async scheduleBroadcast(): Promise<void> {
    if (this.alarmSet) return;
    if ((await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(Date.now() + this.broadcastWindowMs());
    }
    this.alarmSet = true;
  }

  private broadcastWindowMs(): number {
    const configured = Number(this.env.BROADCAST_WINDOW_MS);
    return configured >= 0 && Number.isFinite(configured)
      ? configured
      : DEFAULT_BROADCAST_WINDOW_MS;
  }

  /**
   * Alarms are delivered at least once, so this is safe to repeat: a second
   * run finds nothing due, or sends the same version again, which clients
   * ignore.
   */
  async alarm(): Promise<void> {
    this.alarmSet = false;
    if (this.unsaved > 0) this.save();
    if (!this.state.broadcastDue) return;
    // Sent before the flag is cleared: an alarm that throws is retried by
    // the runtime and finds the broadcast still due.
    this.broadcast();
    this.state.broadcastDue = false;
    this.storage.saveMeta(this.state);
  }

  private broadcast(): void {
    const snapshot = this.snapshot();
    if (!snapshot) return;
    const payload = JSON.stringify(snapshot);
    for (const socket of this.ctx.getWebSockets()) {
      this.sendOrDrop(socket, payload);
    }
  }

  /** A socket that vanished without a close frame must not stop the rest. */
  private sendOrDrop(socket: WebSocket, payload: string): void {
    try {
      socket.send(payload);
    } catch {
      try {
        socket.close(1011, "send failed");
      } catch {
        // Already closed: nothing left to release.
      }
    }
  }

  async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade", { status: 426 });
    }
    return this.acceptViewer();
  }

  private acceptViewer(): Response {
    const snapshot = this.snapshot();
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server!);
    if (snapshot) server!.send(JSON.stringify(snapshot));
    else server!.close(4004, "this campaign does not exist");
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer) {
    if (message === "snapshot") this.sendSnapshotTo(socket);
  }

  private sendSnapshotTo(socket: WebSocket): void {
    const snapshot = this.snapshot();
    if (snapshot) this.sendOrDrop(socket, JSON.stringify(snapshot));
  }

  async webSocketClose(socket: WebSocket, code: number, reason: string) {
    // Completes the closing handshake; 1005/1006 are not sendable codes.
    const sendable = code >= 1000 && code < 5000 && code !== 1005 && code !== 1006;
    try {
      socket.close(sendable ? code : 1000, reason);
    } catch {
      // The peer is already gone; nothing to complete.
    }
  }
}

function campaignAfterSession(
  campaign: CampaignInfo,
  gatewayId: string,
  state: SessionState,
  reason: string | null,
): CampaignInfo | null {
  const by = `gateway:${gatewayId}`;
  if (DOWN.includes(state) && campaign.state === "sending") {
    const what = state === "failed" ? "failed" : "lost its WhatsApp session";
    const why = reason ? ` (${reason})` : "";
    const pausedReason = `gateway ${gatewayId} ${what}${why}`.slice(0, 300);
    return { ...campaign, state: "paused", pausedBy: by, pausedReason };
  }
  if (state === "ready" && campaign.state === "paused" && campaign.pausedBy === by) {
    return { ...campaign, state: "sending", pausedBy: null, pausedReason: null };
  }
  return null;
}
