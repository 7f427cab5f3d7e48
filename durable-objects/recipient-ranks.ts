import type { RecipientRow } from "./room-storage.ts";
import { latencyBucket, type LatencyKind } from "./room-stats.ts";

// Keeps each statement's JSON near 50 KB, however much a save holds.
const ROWS_PER_STATEMENT = 1_000;
const QUEUED: RecipientRow = { rank: 0, sentAt: null, reason: null };

/**
 * Each recipient's rank, send time and failure reason, read from storage
 * once per wake and then kept in memory, so a batch costs one lookup per
 * event and two statements (the rows, the latency buckets), each taking
 * its rows as one JSON parameter, instead of a query and a write per event.
 * Changes are written by `flush`, in the same synchronous stretch as the
 * counters they move, so both commit together.
 */
export class RecipientRanks {
  private rows: Map<number, RecipientRow> | null = null;
  private readonly changed = new Map<number, RecipientRow>();
  private readonly latencies = new Map<string, number>();

  constructor(private readonly sql: SqlStorage) {}

  get(index: number): RecipientRow {
    return this.loaded().get(index) ?? QUEUED;
  }

  set(index: number, row: RecipientRow): void {
    this.loaded().set(index, row);
    this.changed.set(index, row);
  }

  get unsavedRows(): number {
    return this.changed.size;
  }

  addLatency(kind: LatencyKind, ms: number): void {
    const key = `${kind}:${latencyBucket(Math.max(0, ms))}`;
    this.latencies.set(key, (this.latencies.get(key) ?? 0) + 1);
  }

  flush(): void {
    const rows = [...this.changed].map(([index, r]) => [index, r.rank, r.sentAt, r.reason]);
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      this.sql.exec(
        "INSERT INTO statuses (idx, rank, sent_at, reason) " +
          "SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 " +
          "FROM json_each(?) WHERE true " +
          "ON CONFLICT(idx) DO UPDATE SET rank = excluded.rank, " +
          "sent_at = excluded.sent_at, reason = excluded.reason",
        JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT)),
      );
    }
    this.changed.clear();
    if (this.latencies.size > 0) {
      const buckets = [...this.latencies].map(([key, n]) => [...key.split(":"), n]);
      this.sql.exec(
        "INSERT INTO latency (kind, bucket, n) " +
          "SELECT value ->> 0, CAST(value ->> 1 AS INTEGER), value ->> 2 " +
          "FROM json_each(?) WHERE true " +
          "ON CONFLICT(kind, bucket) DO UPDATE SET n = n + excluded.n",
        JSON.stringify(buckets),
      );
      this.latencies.clear();
    }
  }

  private loaded(): Map<number, RecipientRow> {
    if (this.rows) return this.rows;
    const rows = new Map<number, RecipientRow>();
    const cursor = this.sql.exec<{
      idx: number;
      rank: number;
      sent_at: number | null;
      reason: string | null;
    }>("SELECT idx, rank, sent_at, reason FROM statuses");
    for (const row of cursor) {
      rows.set(row.idx, { rank: row.rank, sentAt: row.sent_at, reason: row.reason });
    }
    this.rows = rows;
    return rows;
  }
}
