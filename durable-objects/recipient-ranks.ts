import type { RecipientRow } from "./room-storage.ts";
import { latencyBucket, type LatencyKind } from "./room-stats.ts";

// Durable Object SQLite binds at most 100 parameters per statement.
const ROWS_PER_UPSERT = 25;
const QUEUED: RecipientRow = { rank: 0, sentAt: null, reason: null };

/**
 * Each recipient's rank, send time and failure reason, read from storage
 * once per wake and then kept in memory, so a batch costs one lookup per
 * event and a few multi-row writes instead of a query and a write per event.
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

  addLatency(kind: LatencyKind, ms: number): void {
    const key = `${kind}:${latencyBucket(Math.max(0, ms))}`;
    this.latencies.set(key, (this.latencies.get(key) ?? 0) + 1);
  }

  flush(): void {
    const rows = [...this.changed];
    for (let i = 0; i < rows.length; i += ROWS_PER_UPSERT) {
      this.upsert(rows.slice(i, i + ROWS_PER_UPSERT));
    }
    this.changed.clear();
    for (const [key, n] of this.latencies) {
      const [kind, bucket] = key.split(":");
      this.sql.exec(
        "INSERT INTO latency (kind, bucket, n) VALUES (?, ?, ?) " +
          "ON CONFLICT(kind, bucket) DO UPDATE SET n = n + excluded.n",
        kind,
        Number(bucket),
        n,
      );
    }
    this.latencies.clear();
  }

  private upsert(rows: Array<[number, RecipientRow]>): void {
    const values = rows.map(() => "(?, ?, ?, ?)").join(", ");
    this.sql.exec(
      `INSERT INTO statuses (idx, rank, sent_at, reason) VALUES ${values} ` +
        "ON CONFLICT(idx) DO UPDATE SET rank = excluded.rank, " +
        "sent_at = excluded.sent_at, reason = excluded.reason",
      ...rows.flatMap(([index, row]) => [index, row.rank, row.sentAt, row.reason]),
    );
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
