import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface ErrorDetail {
  row?: number;
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

  toBody() {
    const error = { code: this.code, message: this.message };
    return { error: this.details ? { ...error, details: this.details } : error };
  }
}

export function notFound(what: string): ApiError {
  return new ApiError(404, "not_found", `${what} was not found`);
}

/** Answers ApiErrors as they are; logs anything else and hides its text. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    if (err.status === 503) c.header("Retry-After", "1");
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
  return c.json(
    { error: { code: "internal", message: "unexpected error; try again" } },
    500,
  );
}
