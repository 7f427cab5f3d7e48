import type { GatewayEvent } from "../domain/events.ts";
import type { Funnel } from "../domain/funnel.ts";
import { signedHeaders } from "../domain/signature.ts";
import { sleep } from "./stats.ts";

const REQUEST_TIMEOUT_MS = 60_000;
const MAX_RETRIES = 5;
// The API takes at most this many rows per request (docs/api.md).
export const ROWS_PER_CHUNK = 5_000;

export interface BenchTarget {
  url: string;
  operatorToken: string;
  gatewaySecret: string;
}

export interface CampaignView {
  counts: Funnel;
  version: number;
  campaign: { state: string; total: number };
}

export interface CreatedCampaign {
  id: string;
  /** the viewer link's token, for the live socket */
  token: string;
  link: string;
}

export function recipientRows(from: number, to: number) {
  return Array.from({ length: to - from }, (_, i) => ({
    phone: `1555${String(from + i).padStart(7, "0")}`,
    name: `R${from + i}`,
  }));
}

/** The routes a benchmark drives, with a gateway's retry on 503. */
export class BenchClient {
  constructor(readonly target: BenchTarget) {}

  async operator<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.fetchWithRetry(path, () => ({
      method,
      headers: {
        authorization: `Bearer ${this.target.operatorToken}`,
        "content-type": "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }));
    return (await res.json()) as T;
  }

  /**
   * Creates a draft of `total` recipients: one POST, then chunks;
   * `onChunk` hears each request's duration.
   */
  async createCampaign(
    name: string,
    total: number,
    onChunk: (ms: number) => void = () => {},
  ): Promise<CreatedCampaign> {
    let started = performance.now();
    const first = Math.min(total, ROWS_PER_CHUNK);
    const created = await this.operator<{ id: string; link: string }>("POST", "/api/campaigns", {
      name,
      message: "Hi {{name}}",
      tier: "fast",
      recipients: recipientRows(0, first),
    });
    onChunk(performance.now() - started);
    for (let offset = first; offset < total; offset += ROWS_PER_CHUNK) {
      const end = Math.min(total, offset + ROWS_PER_CHUNK);
      const recipients = recipientRows(offset, end);
      started = performance.now();
      await this.operator("POST", `/api/campaigns/${created.id}/recipients`, {
        offset,
        recipients,
      });
      onChunk(performance.now() - started);
    }
    const token = new URL(created.link).searchParams.get("t") ?? "";
    return { ...created, token };
  }

  async start(id: string): Promise<void> {
    await this.operator("POST", `/api/campaigns/${id}/start`, {});
  }

  campaign(id: string): Promise<CampaignView> {
    return this.operator("GET", `/api/campaigns/${id}`);
  }

  /** The origin's way: a GROUP BY over D1 (worker/routes/bench.ts). */
  recount(id: string): Promise<{ counts: Funnel }> {
    return this.operator("GET", `/api/bench/campaigns/${id}/recount`);
  }

  /** The snapshot and the recount timed inside the Worker, mean of `repeat`. */
  cost(id: string, repeat: number): Promise<{ snapshotMs: number; recountMs: number }> {
    return this.operator("GET", `/api/bench/campaigns/${id}/cost?repeat=${repeat}`);
  }

  /** Posts one signed batch to the real route or the bench's floor. */
  async postEvents(events: GatewayEvent[], route: "events" | "floor" = "events"): Promise<void> {
    const path = route === "events" ? "/api/gateway/events" : "/api/bench/floor";
    // A fresh nonce per batch, as a gateway sends (the Worker refuses repeats).
    const body = JSON.stringify({ events, nonce: crypto.randomUUID() });
    const headers = await signedHeaders(this.target.gatewaySecret, "gw-bench", body);
    const res = await this.fetchWithRetry(path, () => ({ method: "POST", headers, body }));
    await res.arrayBuffer();
  }

  /** Retries 503s as a gateway would, after Retry-After; other errors throw. */
  private async fetchWithRetry(path: string, init: () => RequestInit): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${this.target.url}${path}`, {
        ...init(),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      if (res.ok) return res;
      const text = await res.text();
      if (res.status !== 503 || attempt >= MAX_RETRIES) {
        throw new Error(`${init().method} ${path}: ${res.status} ${text.slice(0, 300)}`);
      }
      retries.count++;
      await sleep(Number(res.headers.get("retry-after") ?? 1) * 1000);
    }
  }
}

/** 503s retried during the run; a figure reports them with its params. */
export const retries = { count: 0 };
