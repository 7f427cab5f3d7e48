import type { SessionState } from "../domain/events.ts";
import type { CampaignInfo, GatewayHealth } from "../domain/snapshot.ts";
import { emptyStatusCounts, STATUSES, statusAtRank, type StatusCounts } from "../domain/status.ts";
import {
  downsample,
  percentiles,
  type LatencyKind,
  type Percentiles,
  type TimelinePoint,
} from "./room-stats.ts";

/**
 * The campaign object's own SQLite tables. Writes made in one synchronous
 * stretch of code commit together, so a status row and the counters it
 * moves can never disagree after an eviction.
 * https://developers.cloudflare.com/durable-objects/api/sqlite-storage-api/
 */
export interface RoomState {
  campaign: CampaignInfo | null;
  counts: StatusCounts;
  failures: Record<string, number>;
  version: number;
  updatedAt: number;
  broadcastDue: boolean;
  /**
   * Set in storage when the object starts holding changes it has not
   * saved; a new instance that finds it set catches up from D1.
   */
  dirty: boolean;
}

export interface RecipientRow {
  rank: number;
  /** when the send started, for latencies; null until known */
  sentAt: number | null;
  reason: string | null;
}

const TABLES = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS statuses (idx INTEGER PRIMARY KEY, rank INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS counts (rank INTEGER PRIMARY KEY, n INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS failures (reason TEXT PRIMARY KEY, n INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS latency (
    kind TEXT NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (kind, bucket));
  CREATE TABLE IF NOT EXISTS timeline (
    at INTEGER PRIMARY KEY, sent INTEGER NOT NULL,
    delivered INTEGER NOT NULL, read INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS gateways (
    id TEXT PRIMARY KEY, state TEXT NOT NULL, reason TEXT, at INTEGER NOT NULL);
`;

/** Columns added to `statuses` after its first release, for older objects. */
const ADDED_STATUS_COLUMNS = ["sent_at INTEGER", "reason TEXT"];

export class RoomStorage {
  constructor(private readonly sql: SqlStorage) {}

  createTables(): void {
    this.sql.exec(TABLES);
    const columns = new Set(
      this.sql
        .exec<{ name: string }>("PRAGMA table_info(statuses)")
        .toArray()
        .map((c) => c.name),
    );
    for (const column of ADDED_STATUS_COLUMNS) {
      if (!columns.has(column.split(" ")[0]!)) {
        this.sql.exec(`ALTER TABLE statuses ADD COLUMN ${column}`);
      }
    }
  }

  load(): RoomState {
    const meta = new Map<string, string>();
    for (const row of this.sql.exec<{ key: string; value: string }>(
      "SELECT key, value FROM meta",
    )) {
      meta.set(row.key, row.value);
    }
    const counts = emptyStatusCounts();
    for (const row of this.sql.exec<{ rank: number; n: number }>("SELECT rank, n FROM counts")) {
      counts[statusAtRank(row.rank)] = row.n;
    }
    const failures: Record<string, number> = {};
    for (const row of this.sql.exec<{ reason: string; n: number }>(
      "SELECT reason, n FROM failures WHERE n > 0",
    )) {
      failures[row.reason] = row.n;
    }
    return {
      campaign: meta.has("campaign") ? JSON.parse(meta.get("campaign")!) : null,
      counts,
      failures,
      version: Number(meta.get("version") ?? 0),
      updatedAt: Number(meta.get("updatedAt") ?? 0),
      broadcastDue: meta.get("broadcastDue") === "1",
      dirty: meta.get("dirty") === "1",
    };
  }

  /** One statement for every meta row: a batch pays per statement. */
  saveMeta(state: RoomState): void {
    const rows = {
      campaign: JSON.stringify(state.campaign),
      version: String(state.version),
      updatedAt: String(state.updatedAt),
      broadcastDue: state.broadcastDue ? "1" : "0",
      dirty: state.dirty ? "1" : "0",
    };
    this.sql.exec(
      "INSERT INTO meta (key, value) SELECT key, value FROM json_each(?) WHERE true " +
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      JSON.stringify(rows),
    );
  }

  saveCounts(counts: StatusCounts, failures: Record<string, number>): void {
    this.sql.exec(
      "INSERT INTO counts (rank, n) SELECT key, value FROM json_each(?) WHERE true " +
        "ON CONFLICT(rank) DO UPDATE SET n = excluded.n",
      JSON.stringify(STATUSES.map((status) => counts[status])),
    );
    this.sql.exec("DELETE FROM failures");
    this.sql.exec(
      "INSERT INTO failures (reason, n) SELECT key, value FROM json_each(?) WHERE value > 0",
      JSON.stringify(failures),
    );
  }

  latency(kind: LatencyKind): Percentiles {
    const rows = this.sql
      .exec<{ bucket: number; n: number }>("SELECT bucket, n FROM latency WHERE kind = ?", kind)
      .toArray();
    return percentiles(rows);
  }

  /** Kept until `saveTimeline`: a point is rewritten by every batch. */
  private readonly pendingPoints = new Map<number, TimelinePoint>();

  recordTimeline(point: TimelinePoint): void {
    this.pendingPoints.set(point.at, point);
  }

  saveTimeline(): void {
    if (this.pendingPoints.size === 0) return;
    this.sql.exec(
      "INSERT INTO timeline (at, sent, delivered, read) " +
        "SELECT value ->> 'at', value ->> 'sent', value ->> 'delivered', value ->> 'read' " +
        "FROM json_each(?) WHERE true " +
        "ON CONFLICT(at) DO UPDATE SET sent = excluded.sent, " +
        "delivered = excluded.delivered, read = excluded.read",
      JSON.stringify([...this.pendingPoints.values()]),
    );
    this.pendingPoints.clear();
  }

  timeline(): TimelinePoint[] {
    return downsample(
      this.sql
        .exec<{ at: number; sent: number; delivered: number; read: number }>(
          "SELECT at, sent, delivered, read FROM timeline ORDER BY at",
        )
        .toArray()
        .map((row) => ({ ...row })),
    );
  }

  setGateway(health: GatewayHealth): void {
    this.sql.exec(
      "INSERT INTO gateways (id, state, reason, at) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT(id) DO UPDATE SET state = excluded.state, " +
        "reason = excluded.reason, at = excluded.at WHERE excluded.at >= gateways.at",
      health.id,
      health.state,
      health.reason,
      health.at,
    );
  }

  gateways(): GatewayHealth[] {
    return this.sql
      .exec<{ id: string; state: SessionState; reason: string | null; at: number }>(
        "SELECT id, state, reason, at FROM gateways ORDER BY id",
      )
      .toArray()
      .map((row) => ({ ...row }));
  }

  /** Failures by reason recomputed from the status rows. */
  recountFailures(failedRank: number): Record<string, number> {
    const failures: Record<string, number> = {};
    for (const row of this.sql.exec<{ reason: string | null; n: number }>(
      "SELECT reason, COUNT(*) AS n FROM statuses WHERE rank = ? GROUP BY reason",
      failedRank,
    )) {
      failures[row.reason ?? "send_error"] = row.n;
    }
    return failures;
  }

  /** Counts recomputed from the status rows, for checks and repair. */
  recount(total: number): StatusCounts {
    const counts = emptyStatusCounts();
    let named = 0;
    for (const row of this.sql.exec<{ rank: number; n: number }>(
      "SELECT rank, COUNT(*) AS n FROM statuses GROUP BY rank",
    )) {
      counts[statusAtRank(row.rank)] += row.n;
      named += row.n;
    }
    counts.queued += total - named;
    return counts;
  }
}
