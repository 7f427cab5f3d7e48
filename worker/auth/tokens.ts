/**
 * Operator tokens look like `tk_<id>_<secret>`: the id finds the row, and
 * only a SHA-256 of the secret is stored, so a leaked database grants
 * nothing. Tokens are shown once, when made.
 */
const encoder = new TextEncoder();
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const TOKEN = /^tk_([a-z0-9]{12})_([A-Za-z0-9_-]{32,64})$/;

export function randomId(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join("");
}

function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export interface NewToken {
  id: string;
  token: string;
  secretHash: string;
}

export async function newOperatorToken(): Promise<NewToken> {
  const id = randomId(12);
  const secret = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  return { id, token: `tk_${id}_${secret}`, secretHash: await sha256Hex(secret) };
}

export function parseOperatorToken(token: string): { id: string; secret: string } | null {
  const match = token.match(TOKEN);
  return match ? { id: match[1]!, secret: match[2]! } : null;
}
