import { randomUUID } from "node:crypto";
import { setTimeout as sleepFor } from "node:timers/promises";
import pRetry, { AbortError, type RetryContext } from "p-retry";
import type { Logger } from "pino";
import { z } from "zod";
import type { ClaimedMessage, GatewayEvent } from "../domain/events.ts";
import { signedHeaders } from "../domain/signature.ts";
import { DEFAULT_SPEED_TIER, SPEED_TIER_NAMES } from "../domain/speed-tiers.ts";
import { WorkerRequestError } from "./worker-request-error.ts";

export { WorkerRequestError } from "./worker-request-error.ts";

const claimResponseSchema = z.object({
  messages: z.array(
    z.object({
      campaignId: z.string(),
      recipient: z.number().int(),
      phone: z.string(),
      text: z.string(),
      // A tier this gateway does not know (a newer Worker) or none (an
      // older one) is sent at the slowest pace rather than refused.
      tier: z.enum(SPEED_TIER_NAMES).catch(DEFAULT_SPEED_TIER),
      leaseExpiresAt: z.number(),
    }),
  ),
});

const eventsResponseSchema = z.object({ applied: z.number(), ignored: z.number() });
export type EventsResponse = z.infer<typeof eventsResponseSchema>;

export interface RetryPolicy {
  retries: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
  /** A longer `Retry-After` is cut to this, so a bad header cannot stall us. */
  maxRetryAfterMs: number;
}

const DEFAULT_RETRY: RetryPolicy = {
  retries: 5,
  minTimeoutMs: 500,
  maxTimeoutMs: 15_000,
  maxRetryAfterMs: 60_000,
};

export interface WorkerApiOptions {
  baseUrl: string;
  gatewayId: string;
  secret: string;
  log: Logger;
  retry?: Partial<RetryPolicy>;
  requestTimeoutMs?: number;
  /** Tests pass a recording sleep to check `Retry-After` without waiting. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<unknown>;
}

/** Signed calls to the Worker's gateway routes (docs/api.md). */
export class WorkerApi {
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<unknown>;

  constructor(private readonly options: WorkerApiOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? ((ms, signal) => sleepFor(ms, undefined, { signal }));
  }

  /** `signal` ends the attempt in flight and every retry: a gateway stopping. */
  async claim(limit = 1, signal?: AbortSignal): Promise<ClaimedMessage[]> {
    const body = await this.request("/api/gateway/claim", { limit }, signal);
    return claimResponseSchema.parse(body).messages;
  }

  async postEvents(events: GatewayEvent[]): Promise<EventsResponse> {
    const body = await this.request("/api/gateway/events", { events });
    return eventsResponseSchema.parse(body);
  }

  /**
   * Retries with exponential backoff and jitter. A 4xx other than 408/429
   * means the request itself is wrong, so repeating it cannot help.
   */
  private request(path: string, payload: object, signal?: AbortSignal): Promise<unknown> {
    // A fresh nonce per attempt: the Worker refuses a signed body it has
    // seen before, and a retry must not look like a replay.
    const body = () => JSON.stringify({ ...payload, nonce: randomUUID() });
    return pRetry(() => this.attempt(path, body(), signal), {
      retries: this.retry.retries,
      minTimeout: this.retry.minTimeoutMs,
      maxTimeout: this.retry.maxTimeoutMs,
      randomize: true,
      signal,
      onFailedAttempt: (context) => this.beforeRetry(path, context, signal),
    });
  }

  /** Signs every attempt afresh: the Worker refuses stale timestamps. */
  private async attempt(path: string, body: string, stop?: AbortSignal): Promise<unknown> {
    const { baseUrl, gatewayId, secret } = this.options;
    const headers = await signedHeaders(secret, gatewayId, body);
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs ?? 15_000);
    const response = await fetch(new URL(path, baseUrl), {
      method: "POST",
      headers,
      body,
      signal: stop ? AbortSignal.any([timeout, stop]) : timeout,
    }).catch((cause: unknown) => {
      const message = `POST ${path} did not complete`;
      throw new WorkerRequestError(message, null, null, { cause });
    });
    if (response.ok) return response.json();
    const error = await WorkerRequestError.fromResponse(path, response);
    throw error.retryable ? error : new AbortError(error);
  }

  /** p-retry backs off after this; waiting here makes `Retry-After` a floor. */
  private async beforeRetry(
    path: string,
    context: RetryContext,
    signal?: AbortSignal,
  ): Promise<void> {
    // A stop aborted it: not a failure of the Worker, and no retry follows.
    if (signal?.aborted) return;
    const { error, attemptNumber, retriesLeft } = context;
    const status = error instanceof WorkerRequestError ? error.status : null;
    this.options.log.warn(
      { path, status, attemptNumber, retriesLeft, err: error.message },
      "worker request failed",
    );
    if (!(error instanceof WorkerRequestError) || retriesLeft === 0) return;
    if (error.retryAfterMs === null) return;
    const ms = Math.min(error.retryAfterMs, this.retry.maxRetryAfterMs);
    // Aborted, the wait ends at once and p-retry gives up on its signal.
    await this.sleep(ms, signal).catch(() => undefined);
  }
}
