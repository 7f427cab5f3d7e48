import pino, { type Logger } from "pino";

export interface LoggerOptions {
  level?: string;
  /** 1 for stdout, 2 for stderr (the replay keeps stdout for its result). */
  fd?: 1 | 2;
}

/** One JSON object per line, so logs filter by campaign, recipient or gateway. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    { level: options.level ?? process.env.LOG_LEVEL ?? "info", base: undefined },
    pino.destination({ fd: options.fd ?? 1, sync: true }),
  );
}

/**
 * Enough of a number to tell recipients apart in a log, never all of it:
 * `15550001111` becomes `15*******11`.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  if (digits.length <= 4) return "*".repeat(digits.length);
  return `${digits.slice(0, 2)}${"*".repeat(digits.length - 4)}${digits.slice(-2)}`;
}
