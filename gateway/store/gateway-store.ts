import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

/**
 * Everything the gateway must not lose, in one SQLite file per gateway:
 * the outbox of events the Worker has not taken yet, the ledger of sent
 * messages and the per-day send counts. Node's built-in `node:sqlite` is
 * synchronous, so a write is committed before the next line runs: what
 * was recorded before `sendMessage` survives a SIGKILL right after.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger (
  campaign_id TEXT NOT NULL,
  recipient INTEGER NOT NULL,
  chat_id TEXT NOT NULL,
  text_hash TEXT NOT NULL,
  message_key TEXT,
  serialized_id TEXT,
  status TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  settled_at INTEGER,
  PRIMARY KEY (campaign_id, recipient)
);
CREATE INDEX IF NOT EXISTS ledger_by_key ON ledger (message_key);
CREATE TABLE IF NOT EXISTS daily_sends (
  day TEXT PRIMARY KEY,
  sends INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);`;

export class GatewayStore {
  readonly db: DatabaseSync;
  private depth = 0;

  constructor(readonly path: string) {
    this.db = new DatabaseSync(path);
    this.lockOrExplain();
    this.db.exec(SCHEMA);
  }

  /** `<dataDir>/<gatewayId>.sqlite`, creating the folder if needed. */
  static open(dataDir: string, gatewayId: string): GatewayStore {
    mkdirSync(dataDir, { recursive: true });
    return new GatewayStore(join(dataDir, `${gatewayId}.sqlite`));
  }

  /** Runs `work` in one transaction; nested calls join the outer one. */
  transaction<T>(work: () => T): T {
    if (this.depth > 0) return this.nested(work);
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = this.nested(work);
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  getMeta(name: string): string | undefined {
    const row = this.db.prepare("SELECT value FROM meta WHERE name = ?").get(name);
    return row?.value as string | undefined;
  }

  setMeta(name: string, value: string): void {
    this.db.prepare("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)").run(name, value);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  private nested<T>(work: () => T): T {
    this.depth += 1;
    try {
      return work();
    } finally {
      this.depth -= 1;
    }
  }

  /**
   * WAL with FULL sync: a commit survives a crash of the process and of
   * the machine. EXCLUSIVE keeps a second gateway with the same id out, as
   * two processes sending from one ledger could message someone twice; the
   * lock is taken by the first write, so one is made now.
   */
  private lockOrExplain(): void {
    try {
      this.db.exec("PRAGMA busy_timeout = 2000; PRAGMA locking_mode = EXCLUSIVE;");
      this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
      this.db.exec("BEGIN IMMEDIATE; COMMIT;");
    } catch (cause) {
      this.db.close();
      throw new Error(
        `${this.path} is in use by another gateway process: run one ` +
          "gateway per WhatsApp number, or give this one another --gateway-id",
        { cause },
      );
    }
  }
}
