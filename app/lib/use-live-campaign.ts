import { useEffect, useState } from "preact/hooks";
import { openLiveSocket } from "./live-socket.ts";
import { liveSocketUrl } from "./route.ts";
import { newerSnapshot, type LiveSnapshot } from "./snapshot.ts";
import { useOnline } from "./use-online.ts";

export type Connection = "connecting" | "live" | "reconnecting" | "offline";

/** The server turned the socket down with a 4000-4999 close code. */
export interface Refusal {
  code: number;
  reason: string;
  /** No retry will follow: the link or the campaign is no good. */
  final: boolean;
}

export interface LiveCampaign {
  snapshot: LiveSnapshot | null;
  connection: Connection;
  /** when the next reconnect attempt starts, while reconnecting */
  retryAt: number | null;
  refusal: Refusal | null;
}

function isRefusalCode(code: number): boolean {
  return code >= 4000 && code <= 4999;
}

export function useLiveCampaign(campaignId: string, token: string): LiveCampaign {
  const [snapshot, setSnapshot] = useState<LiveSnapshot | null>(null);
  const [connection, setConnection] = useState<Connection>("connecting");
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const online = useOnline();

  useEffect(() => {
    const url = liveSocketUrl(window.location, campaignId, token);
    return openLiveSocket(url, {
      onOpen: () => {
        setConnection("live");
        setRetryAt(null);
      },
      onSnapshot: (incoming) => {
        setRefusal(null);
        setSnapshot((shown) => newerSnapshot(shown, incoming));
      },
      onClose: (code, reason, nextTry) => {
        const final = nextTry === null;
        if (isRefusalCode(code)) setRefusal({ code, reason, final });
        setConnection(final ? "offline" : "reconnecting");
        setRetryAt(nextTry);
      },
    });
  }, [campaignId, token]);

  return {
    snapshot,
    connection: online ? connection : "offline",
    retryAt: online ? retryAt : null,
    refusal,
  };
}
