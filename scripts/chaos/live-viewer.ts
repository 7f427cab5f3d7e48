import type { Funnel } from "../../domain/funnel.ts";
import { sleep } from "../../gateway/sleep.ts";

/** Gives up after this many connection attempts in a row that failed. */
const MAX_ATTEMPTS = 40;
const MAX_BACKOFF_MS = 5_000;
const CONNECT_TIMEOUT_MS = 10_000;

interface Snapshot {
  type: "snapshot";
  version: number;
  counts: Funnel;
}

/**
 * A link viewer on the campaign's live socket that reconnects, with
 * bounded backoff, whenever the Worker drops it (a restart drops every
 * socket, as a deploy does). It keeps the newest snapshot it was shown.
 */
export class LiveViewer {
  last: Snapshot | undefined;
  drops = 0;
  reconnects = 0;
  /** connection attempts that failed while the Worker was away */
  failedAttempts = 0;
  gaveUp = false;
  private socket: WebSocket | undefined;
  private closing = false;
  private onSnapshot: (() => void) | undefined;

  constructor(private readonly url: string) {}

  /** Resolves once the first snapshot arrived. */
  async open(): Promise<void> {
    if (!(await this.connect())) throw new Error(`no live snapshot from ${this.url}`);
  }

  /** Asks for a fresh snapshot and waits (bounded) for one of `version` or newer. */
  async fresh(version: number, timeoutMs = 10_000): Promise<Snapshot | undefined> {
    const deadline = Date.now() + timeoutMs;
    while ((this.last?.version ?? -1) < version && Date.now() < deadline) {
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send("snapshot");
      await sleep(250);
    }
    return this.last;
  }

  close(): void {
    this.closing = true;
    this.socket?.close(1000, "chaos run over");
  }

  /** True when a socket opened and showed a snapshot. */
  private connect(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = new WebSocket(this.url);
      this.socket = socket;
      let settled = false;
      let shown = false;
      const settle = (withSnapshot: boolean) => {
        if (settled) return;
        settled = true;
        shown = withSnapshot;
        clearTimeout(timer);
        if (!withSnapshot) socket.close();
        resolve(withSnapshot);
      };
      // A socket that opens but never shows a snapshot counts as failed.
      const timer = setTimeout(() => settle(false), CONNECT_TIMEOUT_MS);
      this.onSnapshot = () => settle(true);
      socket.addEventListener("message", (message) => this.take(String(message.data)));
      // Node's WebSocket fires only `error`, no `close`, when the
      // connection is refused (the Worker down).
      socket.addEventListener("error", () => settle(false));
      socket.addEventListener("close", () => {
        settle(false);
        if (shown && !this.closing) void this.reconnect();
      });
    });
  }

  private take(data: string): void {
    const snapshot = JSON.parse(data) as Snapshot;
    if (snapshot.type !== "snapshot") return;
    // Versions only grow; an older payload is ignored, as the page does.
    if (snapshot.version >= (this.last?.version ?? -1)) this.last = snapshot;
    this.onSnapshot?.();
  }

  private async reconnect(): Promise<void> {
    this.drops += 1;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS && !this.closing; attempt++) {
      await sleep(Math.min(MAX_BACKOFF_MS, 250 * 2 ** attempt));
      if (this.closing) return;
      if (await this.connect()) {
        this.reconnects += 1;
        return;
      }
      this.failedAttempts += 1;
    }
    this.gaveUp = !this.closing;
  }
}
