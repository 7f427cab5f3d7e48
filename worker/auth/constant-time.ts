const encoder = new TextEncoder();

/**
 * Compares two secrets without leaking where they differ. Hashing first
 * gives equal lengths, which `timingSafeEqual` requires.
 */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [hashA, hashB] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(hashA, hashB);
}
