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
const TIME = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });
const DATE_TIME = new Intl.DateTimeFormat(undefined, {
  dateStyle: "short",
  timeStyle: "short",
});

function unitFormat(unit: string, digits = 0): Intl.NumberFormat {
  return new Intl.NumberFormat(undefined, {
    style: "unit",
    unit,
    unitDisplay: "short",
    maximumFractionDigits: digits,
  });
}

const SECONDS = unitFormat("second", 1);
const MINUTES = unitFormat("minute");
const HOURS = unitFormat("hour");
const DAYS = unitFormat("day");

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

/** In how long `then` comes, e.g. "in 3s"; one already past reads "now". */
export function formatIn(then: number, now: number): string {
  const seconds = Math.max(0, Math.ceil((then - now) / 1000));
  return RELATIVE.format(seconds, "second");
}

/** A span as its two largest units, e.g. "2 hr 5 min" or "8.5 sec". */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return SECONDS.format(ms / 1000);
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return MINUTES.format(minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    const rest = minutes % 60;
    const text = HOURS.format(hours);
    return rest === 0 ? text : `${text} ${MINUTES.format(rest)}`;
  }
  return DAYS.format(Math.round(hours / 24));
}

/** A moment as the viewer writes it: the time today, else date and time. */
export function formatMoment(at: number, now: number): string {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  return (sameDay ? TIME : DATE_TIME).format(at);
}

export function formatClock(at: number): string {
  return TIME.format(at);
}
