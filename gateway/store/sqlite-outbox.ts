import type { GatewayEvent } from "../../domain/events.ts";
import type { EventOutbox } from "../event-outbox.ts";
import type { GatewayStore } from "./gateway-store.ts";

/**
 * The outbox on disk: an event is committed before `append` returns and
 * deleted only once the Worker has accepted the batch holding it, so a
 * crash at any point loses nothing; at worst a batch is posted twice,
 * which the Worker applies once.
 */
export class SqliteOutbox implements EventOutbox {
  private count: number;

  constructor(private readonly store: GatewayStore) {
    const row = store.db.prepare("SELECT count(*) AS n FROM outbox").get();
    this.count = Number(row?.n ?? 0);
  }

  get size(): number {
    return this.count;
  }

  append(event: GatewayEvent): void {
    this.store.db.prepare("INSERT INTO outbox (event) VALUES (?)").run(JSON.stringify(event));
    this.count += 1;
  }

  peek(limit: number): GatewayEvent[] {
    const rows = this.store.db.prepare("SELECT event FROM outbox ORDER BY seq LIMIT ?").all(limit);
    return rows.map((row) => JSON.parse(String(row.event)) as GatewayEvent);
  }

  /** After `close`, a late answer removes nothing: those events go again. */
  remove(count: number): void {
    if (!this.store.db.isOpen) return;
    const { changes } = this.store.db
      .prepare("DELETE FROM outbox WHERE seq IN " + "(SELECT seq FROM outbox ORDER BY seq LIMIT ?)")
      .run(count);
    this.count -= Number(changes);
  }
}
