import { env, SELF } from "cloudflare:test";
import type { GatewayEvent } from "../../domain/events.ts";
import { signedHeaders } from "../../domain/signature.ts";
import type { CampaignSnapshot } from "../../domain/snapshot.ts";

export const BASE = "http://ticks.test";
export const OPERATOR = { Authorization: `Bearer ${env.OPERATOR_TOKEN}` };

export function api(path: string, init: RequestInit = {}): Promise<Response> {
  return SELF.fetch(`${BASE}${path}`, {
    ...init,
    headers: { ...OPERATOR, ...(init.headers ?? {}) },
  });
}

export function postJson(path: string, body: unknown): Promise<Response> {
  return api(path, { method: "POST", body: JSON.stringify(body) });
}

export interface Created {
  id: string;
  link: string;
}

export async function createCampaign(count: number, message = "Hi {{name}}"): Promise<Created> {
  const recipients = Array.from({ length: count }, (_, i) => ({
    phone: `1555${String(i).padStart(7, "0")}`,
    name: `Person ${i}`,
  }));
  const res = await postJson("/api/campaigns", {
    name: "Test campaign",
    message,
    recipients,
  });
  if (res.status !== 201) throw new Error(await res.text());
  return res.json();
}

export async function startCampaign(id: string): Promise<void> {
  const res = await api(`/api/campaigns/${id}/start`, { method: "POST" });
  if (!res.ok) throw new Error(await res.text());
}

let nonceCounter = 0;

/** Posts signed as a gateway does, with a fresh nonce unless told `raw`. */
export async function gatewayPost(
  path: string,
  body: unknown,
  gatewayId = "gw-test",
  secret: string = env.GATEWAY_SECRET,
): Promise<Response> {
  const unique =
    body && typeof body === "object" && !Array.isArray(body)
      ? { ...body, nonce: `n${++nonceCounter}` }
      : body;
  const text = JSON.stringify(unique);
  const headers = await signedHeaders(secret, gatewayId, text);
  return SELF.fetch(`${BASE}${path}`, { method: "POST", headers, body: text });
}

export function postEvents(events: GatewayEvent[]): Promise<Response> {
  return gatewayPost("/api/gateway/events", { events });
}

let eventCounter = 0;

/** An event of the given kind, with a fresh id. */
export function ev<T extends Omit<GatewayEvent, "id" | "at">>(
  event: T,
  at = Date.now(),
): GatewayEvent {
  return { id: `e${++eventCounter}`, at, ...event } as unknown as GatewayEvent;
}

export async function snapshotOf(id: string) {
  const res = await api(`/api/campaigns/${id}`);
  if (!res.ok) throw new Error(await res.text());
  return res.json<{
    campaign: { state: string };
    counts: Record<string, number>;
    rates: Record<string, number>;
    version: number;
    latency: CampaignSnapshot["latency"];
    timeline: CampaignSnapshot["timeline"];
  }>();
}

export async function d1Count(table: string): Promise<number> {
  const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{
    n: number;
  }>();
  return row!.n;
}

const WRITTEN_TABLES = [
  "campaigns",
  "recipients",
  "leases",
  "gateways",
  "workspaces",
  "operator_tokens",
  "request_nonces",
];

/** Row counts of every D1 table, to show that a refused request wrote nothing. */
export async function d1RowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of WRITTEN_TABLES) counts[table] = await d1Count(table);
  return counts;
}

export async function expectNothingWritten<T>(request: () => Promise<T>): Promise<T> {
  const before = await d1RowCounts();
  const result = await request();
  const after = await d1RowCounts();
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    throw new Error(`rows changed: ${JSON.stringify({ before, after })}`);
  }
  return result;
}

/** A campaign already started: events can only be about those. */
export async function sendingCampaign(count: number, message?: string): Promise<Created> {
  const created = await createCampaign(count, message);
  await startCampaign(created.id);
  return created;
}

/** A viewer's live socket, with every payload it receives, in order. */
export async function openLive(id: string, link: string) {
  const token = new URL(link).searchParams.get("t")!;
  const res = await SELF.fetch(`${BASE}/api/campaigns/${id}/live?t=${token}`, {
    headers: { Upgrade: "websocket" },
  });
  const socket = res.webSocket!;
  const messages: Array<{ version: number; counts: Record<string, number> }> = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })),
  );
  socket.addEventListener("message", (e) => messages.push(JSON.parse(e.data as string)));
  socket.accept();
  return { socket, messages, closed, status: res.status };
}

/** Waits up to 1 s for what a socket should have received by now. */
export async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error("condition not reached within 1 s");
}
