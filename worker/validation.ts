import type { z } from "zod";
import { ApiError, type ErrorDetail } from "./errors.ts";

function pathOf(path: PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i ? "." : ""}${String(part)}`))
    .join("");
}

export function parseWith<T extends z.ZodType>(
  schema: T,
  value: unknown,
  code: "invalid_body" | "invalid_query" = "invalid_body",
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details: ErrorDetail[] = result.error.issues.map((issue) => ({
    field: pathOf(issue.path) || (code === "invalid_query" ? "(query)" : "(body)"),
    reason: issue.message,
  }));
  const first = details[0]!;
  const more = details.length > 1 ? ` (and ${details.length - 1} more)` : "";
  throw new ApiError(400, code, `${first.field}: ${first.reason}${more}`, details);
}

/** Parses a JSON body, answering 400 (not 500) when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_json", "the body is not valid JSON; send application/json");
  }
}

export async function readJsonBody(request: Request): Promise<unknown> {
  return parseJson(await request.text());
}
