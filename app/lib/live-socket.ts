import ReconnectingWebSocket from "partysocket/ws";
import { keepAlive } from "./heartbeat.ts";
import { parseSnapshot, type LiveSnapshot } from "./snapshot.ts";

// 4001: bad or expired link, 4004: no such campaign. Retrying cannot help.
const FINAL_CLOSE_CODES = new Set([4001, 4004]);

const BACKOFF = {
  minReconnectionDelay: 1_000,
  maxReconnectionDelay: 15_000,
  reconnectionDelayGrowFactor: 1.5,
};

export interface LiveSocketEvents {
  onOpen(): void;
  onSnapshot(snapshot: LiveSnapshot): void;
  /** `retryAt`: when the next attempt starts; null when none follows. */
  onClose(code: number, reason: string, retryAt: number | null): void;
}

/**
 * When partysocket's next attempt starts. It counts the attempt before it
 * waits (so `retryCount` is already the next one when `close` is heard) and
 * waits min × grow^(count - 1), at most max; the first attempt waits none.
 * https://github.com/partykit/partykit/blob/main/packages/partysocket/src/ws.ts
 */
function nextRetryAt(socket: ReconnectingWebSocket): number {
  const count = socket.retryCount;
  const { minReconnectionDelay, maxReconnectionDelay } = BACKOFF;
  const grown = minReconnectionDelay * BACKOFF.reconnectionDelayGrowFactor ** (count - 1);
  const delay = count === 0 ? 0 : Math.min(grown, maxReconnectionDelay);
  return Date.now() + delay;
}

/**
 * Opens the campaign's live socket, reconnecting with backoff until a final
 * close code. Every connection starts with a fresh snapshot from the
 * server, so a reconnect brings the exact counts without asking. Returns
 * the function that closes it for good.
 */
export function openLiveSocket(url: string, events: LiveSocketEvents) {
  const socket = new ReconnectingWebSocket(url, undefined, {
    ...BACKOFF,
    shouldReconnectOnClose: (event) => !FINAL_CLOSE_CODES.has(event.code),
  });
  // Aborting detaches every listener before close(), whose close event is
  // dispatched synchronously and would otherwise reach an unmounted page.
  const listening = new AbortController();
  const { signal } = listening;

  socket.addEventListener("open", () => events.onOpen(), { signal });
  socket.addEventListener(
    "message",
    (event) => {
      const snapshot = parseSnapshot(event.data);
      if (snapshot !== null) events.onSnapshot(snapshot);
    },
    { signal },
  );
  socket.addEventListener(
    "close",
    (event) => {
      const retryAt = socket.shouldReconnect ? nextRetryAt(socket) : null;
      events.onClose(event.code, event.reason, retryAt);
    },
    { signal },
  );
  // Skip the remaining backoff once the network is back.
  window.addEventListener(
    "online",
    () => {
      if (socket.shouldReconnect && socket.readyState !== socket.OPEN) {
        socket.reconnect();
      }
    },
    { signal },
  );
  const stopKeepAlive = keepAlive(socket);

  return () => {
    listening.abort();
    stopKeepAlive();
    socket.close();
  };
}
