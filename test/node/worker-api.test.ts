import { afterEach, describe, expect, it } from "vitest";
import { verifyBody } from "../../domain/signature.ts";
import { WorkerApi, WorkerRequestError } from "../../gateway/worker-api.ts";
import { parseRetryAfter } from "../../gateway/worker-request-error.ts";
import { silentLog } from "./support/fakes.ts";
import { startScriptedServer, type ScriptedReply } from "./support/scripted-server.ts";

const SECRET = "test-gateway-secret";
const claimed = {
  campaignId: "c_0123456789abcdef",
  recipient: 0,
  phone: "15550001111",
  text: "Hi",
  tier: "brisk",
  leaseExpiresAt: 1,
};
const ok: ScriptedReply = { status: 200, body: { messages: [claimed] } };

let server: Awaited<ReturnType<typeof startScriptedServer>> | undefined;
afterEach(() => server?.close());

async function apiAgainst(replies: ScriptedReply[]) {
  server = await startScriptedServer(replies);
  const sleeps: number[] = [];
  const api = new WorkerApi({
    baseUrl: server.url,
    gatewayId: "gw-1",
    secret: SECRET,
    log: silentLog,
    retry: { retries: 3, minTimeoutMs: 1, maxTimeoutMs: 5 },
    sleep: async (ms) => sleeps.push(ms),
  });
  return { api, sleeps, requests: server.requests };
}

describe("worker api", () => {
  it("signs each request so that the Worker's check accepts it", async () => {
    const { api, requests } = await apiAgainst([ok]);
    await api.claim(1);
    const [request] = requests;
    const timestamp = Number(request!.headers["x-ticks-timestamp"]);
    const signature = String(request!.headers["x-ticks-signature"]);
    expect(request!.headers["x-ticks-gateway"]).toBe("gw-1");
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(5);
    expect(await verifyBody(SECRET, timestamp, request!.body, signature)).toBe(true);
    expect(await verifyBody("other", timestamp, request!.body, signature)).toBe(false);
  });

  it("claims from the claim route and returns the messages", async () => {
    const { api, requests } = await apiAgainst([ok]);
    expect(await api.claim(1)).toEqual([claimed]);
    expect([requests[0]!.path, JSON.parse(requests[0]!.body)]).toEqual([
      "/api/gateway/claim",
      { limit: 1, nonce: expect.any(String) },
    ]);
  });

  it("paces a message of an unknown or missing tier at the slowest tier", async () => {
    const { tier: _, ...untiered } = claimed;
    const unknown = { ...claimed, tier: "ludicrous" };
    const { api } = await apiAgainst([{ status: 200, body: { messages: [untiered, unknown] } }]);
    const tiers = (await api.claim(2)).map((message) => message.tier);
    expect(tiers).toEqual(["careful", "careful"]);
  });

  it("waits at least Retry-After before repeating a 503 or 429", async () => {
    const busy = { status: 503, headers: { "retry-after": "7" } };
    const limited = { status: 429, headers: { "retry-after": "2" } };
    const { api, sleeps, requests } = await apiAgainst([busy, limited, ok]);
    await api.claim(1);
    expect([requests.length, sleeps]).toEqual([3, [7_000, 2_000]]);
  });

  it("repeats timeouts and server errors with backoff", async () => {
    const { api, requests } = await apiAgainst([{ status: 408 }, { status: 500 }, ok]);
    expect(await api.claim(1)).toEqual([claimed]);
    expect(requests).toHaveLength(3);
  });

  it.each([400, 401, 403, 404, 409, 422])("never repeats a %i", async (status) => {
    const body = { error: { code: "x", message: "what was wrong" } };
    const { api, requests } = await apiAgainst([{ status, body }, ok]);
    const failure = await api.claim(1).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkerRequestError);
    expect((failure as WorkerRequestError).status).toBe(status);
    expect((failure as Error).message).toContain("what was wrong");
    expect(requests).toHaveLength(1);
  });

  it("gives up after its retries with the last error", async () => {
    const { api, requests } = await apiAgainst([{ status: 502 }]);
    await expect(api.claim(1)).rejects.toMatchObject({ status: 502 });
    expect(requests).toHaveLength(4);
  });

  it("repeats a request that got no answer at all", async () => {
    const api = new WorkerApi({
      baseUrl: "http://127.0.0.1:9",
      gatewayId: "gw-1",
      secret: SECRET,
      log: silentLog,
      retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 1 },
    });
    const failure = await api.claim(1).catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: null, retryable: true });
  });
});

describe("Retry-After", () => {
  it("reads delay-seconds and HTTP dates, and nothing else", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3_000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe("request nonces", () => {
  it("signs every attempt with a different body, so no retry looks like a replay", async () => {
    const busy = { status: 503, headers: { "retry-after": "0" } };
    const ok = { status: 200, body: { messages: [] } };
    const { api, requests } = await apiAgainst([busy, ok]);
    await api.claim(1);
    const nonces = requests.map((r) => JSON.parse(r.body).nonce);
    expect(new Set(nonces).size).toBe(2);
  });
});
