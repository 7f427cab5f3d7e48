// `undefined` as the locale means the viewer's own, from the browser.
const COUNT = new Intl.NumberFormat(undefined);
const PERCENT = new Intl.NumberFormat(undefined, {
  style: "percent",
  maximumFractionDigits: 1,
});
const RELATIVE = new Intl.RelativeTimeFormat(undefined, {
  numeric: "auto",
  style: "narrow",
});

export function formatCount(value: number): string {
  return COUNT.format(value);
}

/**
 * A rate whose denominator is still zero is not 0 %: nothing has been
 * measured yet, so it reads as a dash.
 */
export function formatRate(rate: number, denominator: number): string {
  return denominator === 0 ? "–" : PERCENT.format(rate);
}

/** How long ago `then` was, e.g. "5s ago"; a server clock ahead reads "now". */
export function formatAgo(then: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 60) return RELATIVE.format(-seconds, "second");
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return RELATIVE.format(-minutes, "minute");
  return RELATIVE.format(-Math.floor(minutes / 60), "hour");
}
