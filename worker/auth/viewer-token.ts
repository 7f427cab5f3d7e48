import { hmacKey } from "../../domain/signature.ts";

/**
 * Viewer links carry `<payload>.<mac>`, both base64url: the payload names one
 * campaign and an expiry, the mac is HMAC-SHA256 with LINK_SECRET. Anyone
 * holding the link may read that campaign and nothing else.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();
export const DAY_MS = 24 * 3600 * 1000;
export const DEFAULT_LINK_DAYS = 30;
export const DEFAULT_LINK_TTL_MS = DEFAULT_LINK_DAYS * DAY_MS;

interface ViewerClaims {
  c: string;
  e: number;
  /** the campaign's link key version when the link was made */
  k?: number;
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

export async function createViewerToken(
  secret: string,
  campaignId: string,
  expiresAt: number,
  keyVersion = 1,
): Promise<string> {
  const claims: ViewerClaims = { c: campaignId, e: expiresAt, k: keyVersion };
  const payload = toBase64Url(encoder.encode(JSON.stringify(claims)));
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(payload));
  return `${payload}.${toBase64Url(new Uint8Array(mac))}`;
}

export type ViewerCheck = "ok" | "invalid" | "expired" | "revoked";

/**
 * `keyVersion` is the campaign's current link key version: a link made
 * before the operator rotated the key is revoked.
 */
export async function checkViewerToken(
  secret: string,
  token: string,
  campaignId: string,
  keyVersion = 1,
  now = Date.now(),
): Promise<ViewerCheck> {
  const [payload, macText, extra] = token.split(".");
  if (!payload || !macText || extra !== undefined) return "invalid";
  const mac = fromBase64Url(macText);
  if (!mac) return "invalid";
  const valid = await crypto.subtle.verify(
    "HMAC",
    await hmacKey(secret),
    mac,
    encoder.encode(payload),
  );
  if (!valid) return "invalid";
  const claims = readClaims(payload);
  if (!claims || claims.c !== campaignId) return "invalid";
  if ((claims.k ?? 1) !== keyVersion) return "revoked";
  return claims.e < now ? "expired" : "ok";
}

function readClaims(payload: string): ViewerClaims | null {
  try {
    const bytes = fromBase64Url(payload);
    const claims = bytes && JSON.parse(decoder.decode(bytes));
    const version = claims?.k === undefined || Number.isInteger(claims.k);
    if (typeof claims?.c === "string" && typeof claims?.e === "number" && version) {
      return claims;
    }
  } catch {
    // A payload that is not our JSON is simply not a valid token.
  }
  return null;
}
