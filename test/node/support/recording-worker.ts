import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { eventBatchSchema, type GatewayEvent } from "../../../domain/events.ts";
import { verifyBody } from "../../../domain/signature.ts";
import type { Trace } from "../../../gateway/client/trace-file.ts";

export const CAMPAIGN_ID = "c_0000000000replay";

/**
 * Only the gateway routes of docs/api.md, on 127.0.0.1: hands out the
 * trace's recipients in list order, checks signatures and the event schema
 * as the Worker does, and keeps every event it accepted.
 */
export async function startRecordingWorker(trace: Trace, secret: string) {
  const events: GatewayEvent[] = [];
  let nextRecipient = 0;
  const claim = () => {
    const recipient = trace.recipients[nextRecipient];
    if (!recipient) return { messages: [] };
    const message = {
      campaignId: CAMPAIGN_ID,
      recipient: nextRecipient++,
      phone: recipient.phone,
      text: trace.message,
      leaseExpiresAt: Date.now() + 300_000,
    };
    return { messages: [message] };
  };
  const record = (body: unknown) => {
    const batch = eventBatchSchema.parse(body);
    events.push(...batch.events);
    return { applied: batch.events.length, ignored: 0 };
  };
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    if (!(await isSigned(request, body, secret))) return reply(response, 401, {});
    try {
      const payload = JSON.parse(body);
      reply(response, 200, request.url === "/api/gateway/claim" ? claim() : record(payload));
    } catch (error) {
      reply(response, 422, { error: { code: "invalid_body", message: String(error) } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    events,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of request) body += chunk;
  return body;
}

function isSigned(request: IncomingMessage, body: string, secret: string): Promise<boolean> {
  const timestamp = Number(request.headers["x-ticks-timestamp"]);
  const signature = String(request.headers["x-ticks-signature"] ?? "");
  return verifyBody(secret, timestamp, body, signature);
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
