import { readFile } from "node:fs/promises";
import { z } from "zod";

/** The trace format of shared/cases/FORMAT.md. */
const at = { after: z.number().nonnegative(), to: z.string().optional() };
const messageId = z.union([z.string(), z.record(z.string(), z.unknown())]);

export const traceEventSchema = z.discriminatedUnion("type", [
  z.object({ ...at, type: z.literal("send_result"), id: messageId.nullable() }),
  z.object({ ...at, type: z.literal("send_error"), error: z.string() }),
  z.object({
    ...at,
    type: z.literal("message_ack"),
    id: messageId,
    ack: z.number().int(),
  }),
  z.object({ ...at, type: z.literal("disconnected"), reason: z.string() }),
]);

export const traceSchema = z.object({
  name: z.string(),
  about: z.string().optional(),
  message: z.string(),
  recipients: z.array(z.object({ phone: z.string(), name: z.string().optional() })).min(1),
  events: z.array(traceEventSchema),
  expect: z
    .object({
      counts: z.record(z.string(), z.number()),
      status: z.record(z.string(), z.string()),
    })
    .optional(),
});

export type Trace = z.infer<typeof traceSchema>;
export type TraceEvent = z.infer<typeof traceEventSchema>;

export async function readTraceFile(path: string): Promise<Trace> {
  const text = await readFile(path, "utf8");
  const parsed = traceSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`${path} is not a trace: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** The longest delay in the trace, which pacing must exceed to keep order. */
export function longestDelayMs(trace: Trace): number {
  return Math.max(0, ...trace.events.map((event) => event.after));
}
