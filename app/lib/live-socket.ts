import ReconnectingWebSocket from "partysocket/ws";
import { keepAlive } from "./heartbeat.ts";
import { parseSnapshot, type Snapshot } from "./snapshot.ts";

// 4001: bad or expired link, 4004: no such campaign. Retrying cannot help.
const FINAL_CLOSE_CODES = new Set([4001, 4004]);

export interface LiveSocketEvents {
  onOpen(): void;
  onSnapshot(snapshot: Snapshot): void;
  /** `final`: no reconnect follows. */
  onClose(code: number, reason: string, final: boolean): void;
}

/**
 * Opens the campaign's live socket, reconnecting with backoff until a final
 * close code. Returns the function that closes it for good.
 */
export function openLiveSocket(url: string, events: LiveSocketEvents) {
  const socket = new ReconnectingWebSocket(url, undefined, {
    minReconnectionDelay: 1_000,
    maxReconnectionDelay: 15_000,
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
      const final = !socket.shouldReconnect;
      events.onClose(event.code, event.reason, final);
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
