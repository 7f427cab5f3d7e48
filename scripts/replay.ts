import { randomBytes } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import type { Logger } from "pino";
import type { Funnel } from "../domain/funnel.ts";
import type { Status } from "../domain/status.ts";
import { TraceClient } from "../gateway/client/trace.ts";
import { longestDelayMs, readTraceFile, type Trace } from "../gateway/client/trace-file.ts";
import { Gateway } from "../gateway/gateway.ts";
import { createLogger } from "../gateway/log.ts";
import { FixedPacer } from "../gateway/pacing.ts";
import { sleep } from "../gateway/sleep.ts";
import { ensureLocalStack } from "./local-stack.ts";
import { OperatorClient, type OperatorTarget } from "./operator-client.ts";

export interface ReplayResult {
  counts: Funnel;
  status: Record<string, Status>;
}

export interface ReplayOutcome extends ReplayResult {
  campaignId: string;
  /** the viewer link, for checks of what a live page would see */
  link: string;
}

export interface ReplayTarget extends OperatorTarget {
  gatewaySecret: string;
}

/** Checks for stable counts at this spacing, this many times at most. */
const SETTLE_POLL_MS = 100;
const SETTLE_POLLS = 100;

/**
 * Sends a trace's campaign through the whole pipeline: a campaign on the
 * Worker, the real gateway code with the trace as its WhatsApp client, and
 * the counts and statuses the Worker ends with.
 */
export async function replayTrace(
  trace: Trace,
  target: ReplayTarget,
  log: Logger = createLogger({ fd: 2 }),
): Promise<ReplayOutcome> {
  const operator = new OperatorClient(target);
  const { id: campaignId, link } = await operator.createCampaign({
    name: `replay ${trace.name}`.slice(0, 200),
    message: trace.message,
    recipients: trace.recipients,
  });
  await operator.move(campaignId, "start");
  await playThroughGateway(trace, target, campaignId, log.child({ trace: trace.name }));
  await waitForStableCounts(operator, campaignId);
  const { counts } = await operator.getCampaign(campaignId);
  const status = await operator.statusByPhone(campaignId);
  await cancelIfStillSending(operator, campaignId);
  return { counts, status, campaignId, link };
}

/**
 * Trace times count from each `sendMessage`. Pausing longer than the
 * longest of them after every send lets one recipient's events, a
 * disconnect included, play out before the next message is claimed, as
 * they did in the field; a shorter pause could send to someone the trace
 * says was never reached.
 */
export async function playThroughGateway(
  trace: Trace,
  target: Pick<ReplayTarget, "url" | "gatewaySecret">,
  campaignId: string,
  log: Logger,
): Promise<void> {
  const client = new TraceClient(trace);
  const intervalMs = longestDelayMs(trace) + 50;
  const gateway = new Gateway({
    client,
    workerUrl: target.url,
    gatewayId: `replay-${randomBytes(4).toString("hex")}`,
    secret: target.gatewaySecret,
    pacer: new FixedPacer(intervalMs),
    idlePollMs: 50,
    sendTimeoutMs: intervalMs * 2,
    flushIntervalMs: 20,
    onlyCampaignId: campaignId,
    log,
  });
  const deadlineMs = 30_000 + trace.recipients.length * intervalMs * 4;
  await gateway.start();
  try {
    const late = `trace ${trace.name} did not finish`;
    await withDeadline(client.whenFinished(), deadlineMs, late);
  } finally {
    await gateway.stop();
  }
}

async function withDeadline(work: Promise<void>, ms: number, message: string): Promise<void> {
  const giveUp = new AbortController();
  const finished = await Promise.race([
    work.then(() => true),
    sleep(ms, giveUp.signal).then(() => false),
  ]);
  giveUp.abort();
  if (!finished) throw new Error(`${message} within ${ms} ms`);
}

/** The Worker may fold events into counts after it answered; wait for quiet. */
async function waitForStableCounts(operator: OperatorClient, id: string): Promise<void> {
  let last = await operator.getCampaign(id);
  for (let poll = 0; poll < SETTLE_POLLS; poll++) {
    await sleep(SETTLE_POLL_MS);
    const next = await operator.getCampaign(id);
    const sameCounts = isDeepStrictEqual(next.counts, last.counts);
    if (next.version === last.version && sameCounts) return;
    last = next;
  }
  throw new Error(`campaign ${id} counts still changing after ${SETTLE_POLLS} polls`);
}

/** Queued leftovers (a lost session) would be claimed by the next replay. */
async function cancelIfStillSending(operator: OperatorClient, id: string): Promise<void> {
  const { campaign } = await operator.getCampaign(id);
  if (campaign.state === "sending" || campaign.state === "paused") {
    await operator.move(id, "cancel");
  }
}

function differsFromExpect(trace: Trace, result: ReplayResult): boolean {
  return trace.expect !== undefined && !isDeepStrictEqual(trace.expect, result);
}

async function main(path: string | undefined): Promise<void> {
  if (!path) throw new Error("usage: npm run replay -- <trace.json>");
  const trace = await readTraceFile(path);
  const stack = await ensureLocalStack();
  try {
    const { counts, status } = await replayTrace(trace, stack);
    const result: ReplayResult = { counts, status };
    if (differsFromExpect(trace, result)) {
      process.stderr.write(`replay of ${trace.name} differs from its expect:\n`);
      process.stderr.write(`expected ${JSON.stringify(trace.expect)}\n`);
      process.exitCode = 1;
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await stack.stop();
  }
}

if (import.meta.main) {
  main(process.argv[2]).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`replay failed: ${message}\n`);
    process.exitCode = 1;
  });
}
