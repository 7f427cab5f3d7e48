import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface ErrorDetail {
  row?: number;
  /** the line of an uploaded CSV file */
  line?: number;
  field: string;
  value?: unknown;
  reason: string;
}

/**
 * The one error type a request can end in. Its message tells the caller
 * what was wrong and what to do; `details` lists each problem when there
 * are several (one per invalid recipient row, for example).
 */
export class ApiError extends Error {
  /** seconds a client should wait before retrying; set on 429 and 503 */
  retryAfterSeconds?: number;

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ApiError";
  }

  /** A failure that the same request, sent again later, can get past. */
  static retryable(
    code: string,
    message: string,
    retryAfterSeconds: number,
    cause: unknown,
  ): ApiError {
    const error = new ApiError(503, code, message, undefined, { cause });
    error.retryAfterSeconds = retryAfterSeconds;
    return error;
  }

  toBody() {
    const error = { code: this.code, message: this.message };
    return { error: this.details ? { ...error, details: this.details } : error };
  }
}

export function notFound(what: string): ApiError {
  return new ApiError(404, "not_found", `${what} was not found`);
}

function logRetryable(c: Context, err: ApiError): void {
  console.warn(
    JSON.stringify({
      level: "warn",
      msg: err.message,
      code: err.code,
      path: new URL(c.req.url).pathname,
      cause: String(err.cause),
    }),
  );
}

/** Answers ApiErrors as they are; logs anything else and hides its text. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    if (err.retryAfterSeconds !== undefined) {
      c.header("Retry-After", String(err.retryAfterSeconds));
      logRetryable(c, err);
    }
    return c.json(err.toBody(), err.status);
  }
  console.error(
    JSON.stringify({
      level: "error",
      msg: "unexpected error",
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      error: err.stack ?? String(err),
    }),
  );
  return c.json({ error: { code: "internal", message: "unexpected error; try again" } }, 500);
}
