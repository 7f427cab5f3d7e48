/**
 * Debian's Chromium, headless, for the page tests and the bench. As root it
 * needs --no-sandbox; the networking flags stop it from calling home, which
 * this machine's closed network would refuse many times a second.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
