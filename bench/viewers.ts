import { sleep } from "./stats.ts";

const CONNECT_TIMEOUT_MS = 15_000;

/** What a viewer's socket shows: the delivered count of each snapshot. */
export interface Viewer {
  socket: WebSocket;
  /** the highest `counts.delivered` this viewer has been shown */
  delivered: number;
  /** set when the server closed the socket before the bench did */
  closedBy?: string;
}

/** A figure from viewers the server dropped would mean nothing. */
export function assertAllOpen(viewers: Viewer[]): void {
  const dropped = viewers.filter((v) => v.closedBy);
  if (dropped.length === 0) return;
  throw new Error(`${dropped.length} viewer(s) lost their socket: ${dropped[0]!.closedBy}`);
}

export function liveUrl(httpUrl: string, campaignId: string, token: string): string {
  const base = httpUrl.replace(/^http/, "ws");
  return `${base}/api/campaigns/${campaignId}/live?t=${encodeURIComponent(token)}`;
}

/**
 * Opens a viewer and resolves on its first snapshot. `onDelivered` hears
 * each later payload's delivered count; payloads older than the one shown
 * are ignored, as the page does (`version` only grows).
 */
export function openViewer(
  url: string,
  onDelivered: (viewer: Viewer, delivered: number, now: number) => void,
  address?: string,
): Promise<Viewer> {
  return new Promise((resolve, reject) => {
    const socket = address ? socketFrom(url, address) : new WebSocket(url);
    const viewer: Viewer = { socket, delivered: -1 };
    let version = -1;
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no snapshot from ${url} within ${CONNECT_TIMEOUT_MS} ms`));
    }, CONNECT_TIMEOUT_MS);
    socket.addEventListener("message", (message) => {
      const now = performance.now();
      const snapshot = JSON.parse(String(message.data));
      if (snapshot.type !== "snapshot" || snapshot.version <= version) return;
      version = snapshot.version;
      if (viewer.delivered < 0) {
        viewer.delivered = snapshot.counts.delivered;
        clearTimeout(timer);
        resolve(viewer);
        return;
      }
      onDelivered(viewer, snapshot.counts.delivered, now);
      viewer.delivered = Math.max(viewer.delivered, snapshot.counts.delivered);
    });
    socket.addEventListener("close", (event) => {
      clearTimeout(timer);
      viewer.closedBy ??= `${event.code} ${event.reason}`;
      reject(new Error(`socket closed before a snapshot: ${event.code} ${event.reason}`));
    });
    socket.addEventListener("error", () => {
      // The close event that follows says what happened.
    });
  });
}

/**
 * Viewers are limited per address (worker/rate-limit.ts), and in real use
 * each has its own. Over loopback they share one, so each simulated viewer
 * names its own in the header Cloudflare sets; Node's WebSocket (undici)
 * takes request headers as an extension of the standard constructor.
 */
function socketFrom(url: string, address: string): WebSocket {
  const init = { headers: { "CF-Connecting-IP": address } };
  return new WebSocket(url, init as unknown as string[]);
}

/** A private-range address per viewer: a header value, never dialled. */
export function viewerAddress(n: number): string {
  return `10.77.${Math.floor(n / 250)}.${(n % 250) + 1}`;
}

/** Closes every socket and waits (bounded) for them to finish closing. */
export async function closeAll(viewers: Viewer[]): Promise<void> {
  for (const viewer of viewers) {
    viewer.closedBy ??= "the bench";
    viewer.socket.close(1000, "bench done");
  }
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && viewers.some((v) => v.socket.readyState !== 3)) {
    await sleep(50);
  }
}

/**
 * Posts `count` single events at a fixed rate, on schedule whatever the
 * answers take; `post(k)` returns when event k is answered.
 */
export async function postAtRate(
  count: number,
  perSecond: number,
  post: (k: number) => Promise<void>,
): Promise<void> {
  const started = performance.now();
  const pending: Array<Promise<void>> = [];
  for (let k = 0; k < count; k++) {
    const due = started + (k * 1000) / perSecond;
    await sleep(Math.max(0, due - performance.now()));
    pending.push(post(k));
  }
  await Promise.all(pending);
}
