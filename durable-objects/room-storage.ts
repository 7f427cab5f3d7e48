import type { CampaignInfo } from "../domain/snapshot.ts";
import {
  emptyStatusCounts,
  STATUSES,
  statusAtRank,
  type StatusCounts,
} from "../domain/status.ts";

/**
 * The campaign object's own SQLite tables. Writes made in one synchronous
 * stretch of code commit together, so a status row and the counters it
 * moves can never disagree after an eviction.
 * https://developers.cloudflare.com/durable-objects/api/sqlite-storage-api/
 */
export interface RoomState {
  campaign: CampaignInfo | null;
  counts: StatusCounts;
  version: number;
  updatedAt: number;
  broadcastDue: boolean;
}

export class RoomStorage {
  constructor(private readonly sql: SqlStorage) {}

  createTables(): void {
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS statuses (
        idx INTEGER PRIMARY KEY, rank INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS counts (
        rank INTEGER PRIMARY KEY, n INTEGER NOT NULL);
    `);
  }

  load(): RoomState {
    const meta = new Map<string, string>();
    for (const row of this.sql.exec<{ key: string; value: string }>(
      "SELECT key, value FROM meta",
    )) {
      meta.set(row.key, row.value);
    }
    const counts = emptyStatusCounts();
    for (const row of this.sql.exec<{ rank: number; n: number }>(
      "SELECT rank, n FROM counts",
    )) {
      counts[statusAtRank(row.rank)] = row.n;
    }
    return {
      campaign: meta.has("campaign") ? JSON.parse(meta.get("campaign")!) : null,
      counts,
      version: Number(meta.get("version") ?? 0),
      updatedAt: Number(meta.get("updatedAt") ?? 0),
      broadcastDue: meta.get("broadcastDue") === "1",
    };
  }

  saveMeta(state: RoomState): void {
    const rows: Array<[string, string]> = [
      ["campaign", JSON.stringify(state.campaign)],
      ["version", String(state.version)],
      ["updatedAt", String(state.updatedAt)],
      ["broadcastDue", state.broadcastDue ? "1" : "0"],
    ];
    for (const [key, value] of rows) {
      this.sql.exec(
        "INSERT INTO meta (key, value) VALUES (?, ?) " +
          "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        key,
        value,
      );
    }
  }

  saveCounts(counts: StatusCounts): void {
    STATUSES.forEach((status, rank) => {
      this.sql.exec(
        "INSERT INTO counts (rank, n) VALUES (?, ?) " +
          "ON CONFLICT(rank) DO UPDATE SET n = excluded.n",
        rank,
        counts[status],
      );
    });
  }

  /** Rank 0 (queued) for a recipient that no event has named yet. */
  rankOf(index: number): number {
    const row = this.sql
      .exec<{ rank: number }>("SELECT rank FROM statuses WHERE idx = ?", index)
      .toArray()[0];
    return row?.rank ?? 0;
  }

  setRank(index: number, rank: number): void {
    this.sql.exec(
      "INSERT INTO statuses (idx, rank) VALUES (?, ?) " +
        "ON CONFLICT(idx) DO UPDATE SET rank = excluded.rank",
      index,
      rank,
    );
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
