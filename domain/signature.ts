/**
 * Gateway request signing: `sha256=<hex HMAC-SHA256 of "<ts>.<raw body>">`.
 * Web Crypto only, so the same code runs in the gateway (Node) and in the
 * Worker (workerd).
 */
export const SIGNATURE_HEADER = "X-Ticks-Signature";
export const TIMESTAMP_HEADER = "X-Ticks-Timestamp";
export const GATEWAY_HEADER = "X-Ticks-Gateway";
export const MAX_CLOCK_SKEW_SECONDS = 300;

const encoder = new TextEncoder();

/** An HMAC-SHA256 key from a secret string, for signing and verifying. */
export async function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

function toHex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> | null {
  if (!/^([0-9a-f]{2})+$/i.test(hex)) return null;
  const bytes = new Uint8Array(new ArrayBuffer(hex.length / 2));
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  }
  return bytes;
}

export async function signBody(secret: string, timestamp: number, body: string): Promise<string> {
  const key = await hmacKey(secret);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${timestamp}.${body}`));
  return `sha256=${toHex(mac)}`;
}

/** Constant-time check: `crypto.subtle.verify` compares the MACs itself. */
export async function verifyBody(
  secret: string,
  timestamp: number,
  body: string,
  signature: string,
): Promise<boolean> {
  const mac = fromHex(signature.replace(/^sha256=/, ""));
  if (!mac || !signature.startsWith("sha256=")) return false;
  const key = await hmacKey(secret);
  return crypto.subtle.verify("HMAC", key, mac, encoder.encode(`${timestamp}.${body}`));
}

export async function signedHeaders(
  secret: string,
  gatewayId: string,
  body: string,
  now = Date.now(),
): Promise<Record<string, string>> {
  const timestamp = Math.floor(now / 1000);
  return {
    "content-type": "application/json",
    [GATEWAY_HEADER]: gatewayId,
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: await signBody(secret, timestamp, body),
  };
}
