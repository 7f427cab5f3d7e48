import type ReconnectingWebSocket from "partysocket/ws";

// A socket can die without a close event (a phone changing networks, a
// sleeping laptop), and the page would then show "live" over frozen counts.
// The server answers `ping` with `pong` without waking the Durable Object,
// so asking often is cheap.
const PING_EVERY_MS = 25_000;
const ANSWER_WITHIN_MS = 10_000;

/**
 * Pings the open socket and reconnects when nothing at all arrives within
 * ANSWER_WITHIN_MS of a ping. Returns the function that stops it.
 */
export function keepAlive(socket: ReconnectingWebSocket): () => void {
  let lastHeardAt = Date.now();
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const heard = () => {
    lastHeardAt = Date.now();
  };
  socket.addEventListener("open", heard);
  socket.addEventListener("message", heard);

  const interval = setInterval(() => {
    if (socket.readyState !== socket.OPEN) return;
    const pingedAt = Date.now();
    socket.send("ping");
    clearTimeout(deadline);
    deadline = setTimeout(() => {
      if (lastHeardAt < pingedAt) socket.reconnect();
    }, ANSWER_WITHIN_MS);
  }, PING_EVERY_MS);

  return () => {
    clearInterval(interval);
    clearTimeout(deadline);
    socket.removeEventListener("open", heard);
    socket.removeEventListener("message", heard);
  };
}
