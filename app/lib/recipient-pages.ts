import type { RecipientPage, RecipientRow } from "./recipients-api.ts";

export const PAGE_ROWS = 200;
const RETRY_AFTER_MS = 5_000;

interface LoadedPage {
  cursor: string | null;
  rows: RecipientRow[];
  nextCursor: string | null;
  /** the snapshot version it was fetched for; older pages are refetched */
  version: number;
}

type LoadPage = (cursor: string | null, signal: AbortSignal) => Promise<RecipientPage>;

/**
 * The pages of one filtered view of the recipient list, fetched on demand
 * by keyset cursor and refetched when the campaign moved past them. Only
 * the unfiltered list can jump: its indexes are dense, so the cursor of
 * page k is known without the pages before it. A filtered list walks page
 * by page from the nearest one it has.
 */
export class RecipientPages {
  private readonly pages = new Map<number, LoadedPage>();
  private readonly loading = new Set<number>();
  private readonly stop = new AbortController();
  private retryAt = 0;
  error: string | null = null;

  constructor(
    private readonly load: LoadPage,
    private readonly dense: boolean,
    private readonly changed: () => void,
  ) {}

  row(position: number): RecipientRow | undefined {
    const page = this.pages.get(Math.floor(position / PAGE_ROWS));
    return page?.rows[position % PAGE_ROWS];
  }

  /**
   * Rows known to exist from the start: every row once the last page was
   * seen (`complete`), else the pages so far plus one page still to come.
   * Null before the first page.
   */
  knownRows(): { rows: number; complete: boolean } | null {
    if (!this.pages.has(0)) return null;
    let k = 0;
    while (this.pages.get(k)?.nextCursor && this.pages.has(k + 1)) k++;
    const page = this.pages.get(k)!;
    const complete = page.nextCursor === null;
    const rows = k * PAGE_ROWS + page.rows.length + (complete ? 0 : PAGE_ROWS);
    return { rows, complete };
  }

  /** Fetches what rows `first` to `last` need: missing or stale pages. */
  want(first: number, last: number, version: number): void {
    if (Date.now() < this.retryAt) return;
    const lastPage = Math.floor(Math.max(first, last) / PAGE_ROWS);
    for (let k = Math.floor(first / PAGE_ROWS); k <= lastPage; k++) {
      const page = this.pages.get(k);
      if (page === undefined) this.reach(k, version);
      else if (page.version < version) this.fetch(k, page.cursor, version);
    }
  }

  dispose(): void {
    this.stop.abort();
  }

  private cursorOf(k: number): string | null | undefined {
    if (k === 0) return null;
    if (this.dense) return String(k * PAGE_ROWS - 1);
    return this.pages.get(k - 1)?.nextCursor ?? undefined;
  }

  /** Page k, or the next page on the walk towards it. */
  private reach(k: number, version: number): void {
    let j = k;
    while (j > 0 && this.cursorOf(j) === undefined) {
      const before = this.pages.get(j - 1);
      if (before && before.nextCursor === null) return; // past the end
      j--;
    }
    this.fetch(j, this.cursorOf(j)!, version);
  }

  private fetch(k: number, cursor: string | null, version: number): void {
    if (this.loading.has(k)) return;
    this.loading.add(k);
    this.load(cursor, this.stop.signal)
      .then((page) => {
        this.error = null;
        const { recipients: rows, nextCursor } = page;
        this.pages.set(k, { cursor, rows, nextCursor, version });
        if (nextCursor === null) this.dropAfter(k);
      })
      .catch((err: Error) => {
        if (this.stop.signal.aborted) return;
        this.error = err.message;
        this.retryAt = Date.now() + RETRY_AFTER_MS;
        // A redraw after the wait asks for the page again.
        setTimeout(() => this.changed(), RETRY_AFTER_MS);
      })
      .finally(() => {
        this.loading.delete(k);
        if (!this.stop.signal.aborted) this.changed();
      });
  }

  /** Pages after the last one no longer exist (the list shrank). */
  private dropAfter(k: number): void {
    for (const key of [...this.pages.keys()]) {
      if (key > k) this.pages.delete(key);
    }
  }
}
