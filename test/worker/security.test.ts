import { env, SELF } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { claimRequestSchema, eventBatchSchema } from "../../domain/events.ts";
import { signBody, signedHeaders } from "../../domain/signature.ts";
import { createViewerToken } from "../../worker/auth/viewer-token.ts";
import { BASE, d1RowCounts, ev, expectNothingWritten, gatewayPost } from "./helpers.ts";

async function newWorkspace(name: string) {
  const res = await SELF.fetch(`${BASE}/api/workspaces`, {
    method: "POST",
    headers: { Authorization: `Bearer ${env.OPERATOR_TOKEN}` },
    body: JSON.stringify({ name }),
  });
  expect(res.status).toBe(201);
  const body = await res.json<{ workspace: { id: string }; token: { token: string } }>();
  return { id: body.workspace.id, token: body.token.token };
}

function as(token: string, path: string, init: RequestInit = {}) {
  return SELF.fetch(`${BASE}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
  });
}

async function campaignOf(token: string, count = 2) {
  const recipients = Array.from({ length: count }, (_, i) => ({
    phone: `1666${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}${i}`,
    name: `P${i}`,
  }));
  const res = await as(token, "/api/campaigns", {
    method: "POST",
    body: JSON.stringify({ name: "Secret sale", message: "Hi {{name}}", recipients }),
  });
  expect(res.status).toBe(201);
  return res.json<{ id: string; link: string }>();
}

async function registerGateway(token: string, id: string) {
  const res = await as(token, "/api/gateways", { method: "POST", body: JSON.stringify({ id }) });
  expect(res.status).toBe(201);
  return (await res.json<{ secret: string }>()).secret;
}

function liveClose(id: string, token: string): Promise<{ code: number; reason: string }> {
  return SELF.fetch(`${BASE}/api/campaigns/${id}/live?t=${encodeURIComponent(token)}`, {
    headers: { Upgrade: "websocket" },
  }).then((res) => {
    const socket = res.webSocket!;
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      socket.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason }));
      socket.addEventListener("message", () => resolve({ code: 0, reason: "open" }));
    });
    socket.accept();
    return closed;
  });
}

describe("operator tokens and workspaces", () => {
  it("should give 404 for another workspace's campaign on every route", async () => {
    const a = await newWorkspace("A");
    const b = await newWorkspace("B");
    const { id } = await campaignOf(a.token);
    const routes: Array<[string, string, unknown?]> = [
      ["GET", `/api/campaigns/${id}`],
      ["GET", `/api/campaigns/${id}/recipients`],
      ["GET", `/api/campaigns/${id}/export.csv`],
      ["POST", `/api/campaigns/${id}/start`, {}],
      ["POST", `/api/campaigns/${id}/cancel`, {}],
      ["POST", `/api/campaigns/${id}/reconcile`, {}],
      [
        "POST",
        `/api/campaigns/${id}/recipients`,
        { offset: 2, recipients: [{ phone: "15550001234", name: "X" }] },
      ],
      ["POST", `/api/campaigns/${id}/link`, {}],
      ["POST", `/api/campaigns/${id}/link/rotate`, {}],
    ];
    for (const [method, path, body] of routes) {
      const res = await expectNothingWritten(() =>
        as(b.token, path, { method, body: body === undefined ? undefined : JSON.stringify(body) }),
      );
      expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 404`);
    }
    expect((await as(a.token, `/api/campaigns/${id}`)).status).toBe(200);
  });

  it("should refuse a revoked token and a token of made-up parts", async () => {
    const a = await newWorkspace("Revoking");
    const made = await (
      await as(a.token, "/api/tokens", { method: "POST", body: JSON.stringify({ name: "ci" }) })
    ).json<{ id: string; token: string }>();
    expect((await as(made.token, "/api/tokens")).status).toBe(200);
    expect((await as(a.token, `/api/tokens/${made.id}`, { method: "DELETE" })).status).toBe(200);
    const revoked = await as(made.token, "/api/tokens");
    expect(revoked.status).toBe(401);
    expect((await revoked.json<{ error: { message: string } }>()).error.message).toContain(
      "revoked",
    );
    const forged = made.token.slice(0, -4) + "AAAA";
    expect((await as(forged, "/api/tokens")).status).toBe(401);
    expect((await as("tk_aaaaaaaaaaaa_" + "b".repeat(43), "/api/tokens")).status).toBe(401);
  });

  it("should let only the bootstrap token make workspaces", async () => {
    const a = await newWorkspace("Plain");
    const res = await as(a.token, "/api/workspaces", {
      method: "POST",
      body: JSON.stringify({ name: "x" }),
    });
    expect(res.status).toBe(403);
  });

  it("should list only the workspace's own tokens, never their secrets", async () => {
    const a = await newWorkspace("Listing");
    const body = await (
      await as(a.token, "/api/tokens")
    ).json<{ tokens: Array<Record<string, unknown>> }>();
    expect(body.tokens).toHaveLength(1);
    // The secret is base64url and may itself hold "_": all after the id.
    const secret = a.token.split("_").slice(2).join("_");
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(JSON.stringify(body)).not.toContain(secret);
  });
});

describe("registered gateways", () => {
  it("should claim and report only within their own workspace", async () => {
    const a = await newWorkspace("GwA");
    const b = await newWorkspace("GwB");
    const secretB = await registerGateway(b.token, "phone-b");
    const { id } = await campaignOf(a.token);
    await as(a.token, `/api/campaigns/${id}/start`, { method: "POST" });
    const claim = await gatewayPost(
      "/api/gateway/claim",
      { limit: 5, campaignId: id },
      "phone-b",
      secretB,
    );
    expect((await claim.json<{ messages: unknown[] }>()).messages).toEqual([]);
    const events = await gatewayPost(
      "/api/gateway/events",
      { events: [ev({ type: "send_started", campaignId: id, recipient: 0 })] },
      "phone-b",
      secretB,
    );
    expect(events.status).toBe(422);
  });

  it("should refuse the bootstrap and other gateways' secrets for a registered id", async () => {
    const a = await newWorkspace("GwSecrets");
    await registerGateway(a.token, "phone-c");
    const other = await registerGateway(a.token, "phone-d");
    const session = { events: [{ id: "s", at: Date.now(), type: "session", state: "ready" }] };
    expect((await gatewayPost("/api/gateway/events", session, "phone-c")).status).toBe(401);
    expect((await gatewayPost("/api/gateway/events", session, "phone-c", other)).status).toBe(401);
  });

  it("should accept both secrets during a rotation and only the new one after", async () => {
    const a = await newWorkspace("GwRotate");
    const first = await registerGateway(a.token, "phone-r");
    const rotated = await (
      await as(a.token, "/api/gateways/phone-r/rotate", { method: "POST" })
    ).json<{ secret: string }>();
    const session = () => ({
      events: [{ id: `s${Math.random()}`, at: Date.now(), type: "session", state: "ready" }],
    });
    expect((await gatewayPost("/api/gateway/events", session(), "phone-r", first)).status).toBe(
      200,
    );
    expect(
      (await gatewayPost("/api/gateway/events", session(), "phone-r", rotated.secret)).status,
    ).toBe(200);
    await as(a.token, "/api/gateways/phone-r/retire-previous", { method: "POST" });
    expect((await gatewayPost("/api/gateway/events", session(), "phone-r", first)).status).toBe(
      401,
    );
    expect(
      (await gatewayPost("/api/gateway/events", session(), "phone-r", rotated.secret)).status,
    ).toBe(200);
  });

  it("should not let another workspace register a taken gateway id", async () => {
    const a = await newWorkspace("TakerA");
    const b = await newWorkspace("TakerB");
    await registerGateway(a.token, "phone-t");
    const res = await as(b.token, "/api/gateways", {
      method: "POST",
      body: JSON.stringify({ id: "phone-t" }),
    });
    expect(res.status).toBe(409);
  });
});

describe("replayed gateway requests", () => {
  it("should refuse a signed body seen before, under any gateway id", async () => {
    const body = JSON.stringify({ limit: 1, nonce: "once" });
    const headers = await signedHeaders(env.GATEWAY_SECRET, "gw-replay", body);
    const send = (h: Record<string, string>) =>
      SELF.fetch(`${BASE}/api/gateway/claim`, { method: "POST", headers: h, body });
    expect((await send(headers)).status).toBe(200);
    const again = await send(headers);
    expect(again.status).toBe(409);
    expect((await again.json<{ error: { code: string } }>()).error.code).toBe("replayed");
    expect((await send({ ...headers, "X-Ticks-Gateway": "attacker" })).status).toBe(409);
  });

  it("should let a failed batch be sent again with the same signature", async () => {
    const text = JSON.stringify({
      events: [
        {
          id: "x",
          at: 1,
          type: "ack",
          campaignId: "c_0000000000000000",
          recipient: 0,
          messageId: "A",
          status: "read",
        },
      ],
    });
    const ts = Math.floor(Date.now() / 1000);
    const headers = {
      "X-Ticks-Gateway": "gw-retry",
      "X-Ticks-Timestamp": String(ts),
      "X-Ticks-Signature": await signBody(env.GATEWAY_SECRET, ts, text),
    };
    const first = await SELF.fetch(`${BASE}/api/gateway/events`, {
      method: "POST",
      headers,
      body: text,
    });
    const second = await SELF.fetch(`${BASE}/api/gateway/events`, {
      method: "POST",
      headers,
      body: text,
    });
    expect([first.status, second.status]).toEqual([422, 422]);
  });
});

describe("viewer links", () => {
  it("should refuse tampered, expired and revoked links on HTTP and WebSocket", async () => {
    const a = await newWorkspace("Links");
    const { id, link } = await campaignOf(a.token);
    const good = new URL(link).searchParams.get("t")!;
    const [payload, mac] = good.split(".");
    const tampered = `${payload}.${mac!.slice(0, -2)}${mac!.endsWith("A") ? "BB" : "AA"}`;
    const expired = await createViewerToken(env.LINK_SECRET, id, Date.now() - 1000, 1);
    const view = (t: string) =>
      SELF.fetch(`${BASE}/api/campaigns/${id}/recipients?t=${encodeURIComponent(t)}`);
    expect((await view(good)).status).toBe(200);
    expect((await view(tampered)).status).toBe(401);
    const expiredRes = await view(expired);
    expect(expiredRes.status).toBe(401);
    expect((await expiredRes.json<{ error: { message: string } }>()).error.message).toContain(
      "expired or been revoked",
    );
    expect(await liveClose(id, tampered)).toMatchObject({ code: 4001 });
    expect(await liveClose(id, expired)).toMatchObject({
      code: 4001,
      reason: expect.stringContaining("revoked"),
    });

    const rotated = await (
      await as(a.token, `/api/campaigns/${id}/link/rotate`, { method: "POST", body: "{}" })
    ).json<{ link: string }>();
    expect((await view(good)).status).toBe(401);
    expect(await liveClose(id, good)).toMatchObject({ code: 4001 });
    const fresh = new URL(rotated.link).searchParams.get("t")!;
    expect((await view(fresh)).status).toBe(200);
    expect(await liveClose(id, fresh)).toMatchObject({ code: 0, reason: "open" });
  });

  it("should make links with the expiry the operator chooses", async () => {
    const a = await newWorkspace("Expiry");
    const { id } = await campaignOf(a.token);
    const res = await as(a.token, `/api/campaigns/${id}/link`, {
      method: "POST",
      body: JSON.stringify({ expiresInDays: 2 }),
    });
    const { expiresAt } = await res.json<{ expiresAt: number }>();
    expect(Math.round((expiresAt - Date.now()) / 86_400_000)).toBe(2);
    const bad = await as(a.token, `/api/campaigns/${id}/link`, {
      method: "POST",
      body: JSON.stringify({ expiresInDays: 9999 }),
    });
    expect(bad.status).toBe(400);
  });
});

describe("random JSON at every route", () => {
  it("should only ever answer 4xx and write nothing", async () => {
    const a = await newWorkspace("Fuzz");
    const { id } = await campaignOf(a.token);
    // Routes whose body is required; for the gateway routes an input the
    // schema accepts is skipped, as it is a valid request.
    const operatorRoutes = [
      "/api/campaigns",
      `/api/campaigns/${id}/recipients`,
      "/api/tokens",
      "/api/gateways",
      "/api/workspaces",
    ];
    const gatewayRoutes = ["/api/gateway/claim", "/api/gateway/events"];
    const before = await d1RowCounts();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json(),
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)),
        ),
        fc.constantFrom(...operatorRoutes, ...gatewayRoutes),
        async (text, path) => {
          const isGateway = path.startsWith("/api/gateway/");
          fc.pre(!isGateway || !validGatewayBody(path, text));
          const res = isGateway
            ? await rawSigned(path, text)
            : await as(a.token, path, { method: "POST", body: text });
          const ok = res.status >= 400 && res.status < 500;
          if (!ok) throw new Error(`${path} answered ${res.status} to ${text.slice(0, 200)}`);
        },
      ),
      { numRuns: 150, seed: 20261204 },
    );
    const after = await d1RowCounts();
    // Only the replay guard may have remembered signatures of refused bodies: none here.
    expect(after).toEqual(before);
  });
});

function validGatewayBody(path: string, text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  const schema = path.endsWith("/claim") ? claimRequestSchema : eventBatchSchema;
  return schema.safeParse(value).success;
}

async function rawSigned(path: string, text: string): Promise<Response> {
  const headers = await signedHeaders(env.GATEWAY_SECRET, "gw-fuzz", text);
  return SELF.fetch(`${BASE}${path}`, { method: "POST", headers, body: text });
}

describe("listing campaigns", () => {
  it("should list only the workspace's own campaigns, newest first, page by page", async () => {
    const a = await newWorkspace("ListA");
    const b = await newWorkspace("ListB");
    const first = await campaignOf(a.token);
    const second = await campaignOf(a.token);
    await campaignOf(b.token);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const res = await as(a.token, `/api/campaigns?limit=1${query}`);
      expect(res.status).toBe(200);
      const page = await res.json<{
        campaigns: Array<{ id: string }>;
        nextCursor: string | null;
      }>();
      seen.push(...page.campaigns.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    // Newest first; two made in the same millisecond may come in either order.
    expect([...seen].sort()).toEqual([first.id, second.id].sort());
    expect((await as(a.token, "/api/campaigns?cursor=bogus")).status).toBe(400);
  });
});
