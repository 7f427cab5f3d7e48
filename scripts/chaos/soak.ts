import { isDeepStrictEqual } from "node:util";
import pino from "pino";
import { expectedFunnel } from "../../bench/events.ts";
import { memoryOf } from "../../bench/memory.ts";
import { descendants, isWorkerd } from "../../bench/processes.ts";
import { BenchClient } from "../../bench/client.ts";
import type { Funnel } from "../../domain/funnel.ts";
import { sleep } from "../../gateway/sleep.ts";
import { WorkerApi } from "../../gateway/worker-api.ts";
import type { LocalStack } from "../local-stack.ts";
import { OperatorClient } from "../operator-client.ts";
import { recountFunnel } from "./recount.ts";
import { EVENTS_PER_RECIPIENT, soakStream } from "./soak-stream.ts";

export interface SoakOptions {
  minutes: number;
  /** single-event batches per second */
  rate: number;
  say: (line: string) => void;
}

export interface SoakReport {
  ok: boolean;
  campaignId: string;
  posted: number;
  failed: number;
  seconds: number;
  /** workerd's resident set summed over its processes, MiB, every 10 s */
  rssMiB: number[];
  expected: Funnel;
  shown: Funnel;
  recounted: Funnel;
}

const SAMPLE_EVERY_MS = 10_000;
const MAX_IN_FLIGHT = 200;

/**
 * Signed single-event batches at a steady rate against a campaign of its
 * own, through the gateway's own client (a fresh nonce per attempt, its
 * retries), while workerd's memory is sampled; then the counts are
 * checked against the status rules' model.
 */
export async function runSoak(stack: LocalStack, options: SoakOptions): Promise<SoakReport> {
  const total = Math.round(options.minutes * 60 * options.rate);
  const recipients = Math.max(1, Math.ceil(total / EVENTS_PER_RECIPIENT));
  const created = await new BenchClient(stack).createCampaign("chaos soak", recipients);
  const operator = new OperatorClient(stack);
  await operator.move(created.id, "start");
  const events = soakStream(created.id, recipients).slice(0, total);
  options.say(`soak: ${events.length} events for ${recipients} recipients at ${options.rate}/s`);
  const rssMiB: number[] = [];
  const sample = () => rssMiB.push(workerdRss(stack));
  sample();
  const sampler = setInterval(sample, SAMPLE_EVERY_MS);
  const began = Date.now();
  const { posted, failed } = await postSteadily(stack, events, options.rate).finally(() => {
    clearInterval(sampler);
    sample();
  });
  const seconds = (Date.now() - began) / 1000;
  const expected = expectedFunnel(events, recipients);
  const shown = (await operator.getCampaign(created.id)).counts;
  const recounted = recountFunnel(await operator.statusByPhone(created.id));
  const ok =
    failed === 0 && isDeepStrictEqual(expected, shown) && isDeepStrictEqual(expected, recounted);
  return {
    ok,
    campaignId: created.id,
    posted,
    failed,
    seconds,
    rssMiB,
    expected,
    shown,
    recounted,
  };
}

/** Posts batch n at `n / rate` seconds, whatever the earlier ones take. */
async function postSteadily(
  stack: LocalStack,
  events: ReturnType<typeof soakStream>,
  rate: number,
) {
  const api = new WorkerApi({
    baseUrl: stack.url,
    gatewayId: "chaos-soak",
    secret: stack.gatewaySecret,
    log: pino({ level: "silent" }),
  });
  const inFlight = new Set<Promise<void>>();
  const start = Date.now();
  let posted = 0;
  let failed = 0;
  for (const [n, event] of events.entries()) {
    await sleep(start + (n * 1000) / rate - Date.now());
    while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    const post = api.postEvents([event]).then(
      () => void (posted += 1),
      () => void (failed += 1),
    );
    inFlight.add(post);
    void post.finally(() => inFlight.delete(post));
  }
  await Promise.all(inFlight);
  return { posted, failed };
}

function workerdRss(stack: LocalStack): number {
  if (stack.pid === undefined) return 0;
  const pids = descendants(stack.pid).filter(isWorkerd);
  return pids.reduce((sum, pid) => sum + (memoryOf(pid)?.rssMiB ?? 0), 0);
}
