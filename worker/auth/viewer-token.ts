/**
 * Viewer links carry `<payload>.<mac>`, both base64url: the payload names one
 * campaign and an expiry, the mac is HMAC-SHA256 with LINK_SECRET. Anyone
 * holding the link may read that campaign and nothing else.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();
export const DEFAULT_LINK_TTL_MS = 30 * 24 * 3600 * 1000;

interface ViewerClaims {
  c: string;
  e: number;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  // A length of 4n+1 cannot be base64, and atob would throw on it.
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function linkKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

export async function createViewerToken(
  secret: string,
  campaignId: string,
  expiresAt: number,
): Promise<string> {
  const claims: ViewerClaims = { c: campaignId, e: expiresAt };
  const payload = toBase64Url(encoder.encode(JSON.stringify(claims)));
  const mac = await crypto.subtle.sign(
    "HMAC",
    await linkKey(secret),
    encoder.encode(payload),
  );
  return `${payload}.${toBase64Url(new Uint8Array(mac))}`;
}

export type ViewerCheck = "ok" | "invalid" | "expired";

export async function checkViewerToken(
  secret: string,
  token: string,
  campaignId: string,
  now = Date.now(),
): Promise<ViewerCheck> {
  const [payload, macText, extra] = token.split(".");
  if (!payload || !macText || extra !== undefined) return "invalid";
  const mac = fromBase64Url(macText);
  if (!mac) return "invalid";
  const valid = await crypto.subtle.verify(
    "HMAC",
    await linkKey(secret),
    mac,
    encoder.encode(payload),
  );
  if (!valid) return "invalid";
  const claims = readClaims(payload);
  if (!claims || claims.c !== campaignId) return "invalid";
  return claims.e < now ? "expired" : "ok";
}

function readClaims(payload: string): ViewerClaims | null {
  try {
    const bytes = fromBase64Url(payload);
    const claims = bytes && JSON.parse(decoder.decode(bytes));
    if (typeof claims?.c === "string" && typeof claims?.e === "number") {
      return claims;
    }
  } catch {
    // A payload that is not our JSON is simply not a valid token.
  }
  return null;
}
