/** Statuses worth repeating: a timeout, rate limiting or a server fault. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Only these two statuses carry a `Retry-After` the Worker means. */
const STATUSES_WITH_RETRY_AFTER = new Set([429, 503]);

/** A request to the Worker that failed; `status` is null when no answer came. */
export class WorkerRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryAfterMs: number | null,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "WorkerRequestError";
  }

  get retryable(): boolean {
    return this.status === null || isRetryableStatus(this.status);
  }

  static async fromResponse(path: string, response: Response): Promise<WorkerRequestError> {
    const detail = await errorMessageOf(response);
    const retryAfter = STATUSES_WITH_RETRY_AFTER.has(response.status)
      ? parseRetryAfter(response.headers.get("retry-after"))
      : null;
    return new WorkerRequestError(
      `POST ${path} answered ${response.status}: ${detail}`,
      response.status,
      retryAfter,
    );
  }
}

/** The `error.message` of docs/api.md's error shape, or the raw text. */
async function errorMessageOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === "string") return parsed.error.message;
  } catch {
    // Not JSON (a proxy's HTML page, say): the raw text below says enough.
  }
  return text.slice(0, 200) || response.statusText;
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}
