import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { isDeepStrictEqual } from "node:util";
import { readSimulatedState } from "../../gateway/client/simulated-state.ts";
import { phoneOfChatId } from "../../gateway/client/types.ts";
import { sleep } from "../../gateway/sleep.ts";
import { demoRecipients } from "../demo-campaign.ts";
import { ensureLocalStack, freePort, isWorkerUp, type LocalStack } from "../local-stack.ts";
import { OperatorClient } from "../operator-client.ts";
import { GatewayProcess } from "./gateway-process.ts";
import { checkViewer, openViewer, type ViewerReport } from "./viewer-check.ts";
import { runSoak, type SoakReport } from "./soak.ts";
import { compare, readTruth, type Comparison } from "./truth.ts";

export interface ChaosOptions {
  recipients: number;
  /** how long the Worker is down, restart time included */
  outageMs: number;
  /** the simulation's clock and the pacing, times this */
  timeScale: number;
  seed: number;
  /** the whole run gives up after this long */
  deadlineMs: number;
  /** minutes of steady event traffic after the campaign; none skips it */
  soakMinutes?: number;
  say: (line: string) => void;
}

export interface ChaosReport {
  ok: boolean;
  campaignId: string;
  recipients: number;
  sends: number;
  maxSendsPerRecipient: number;
  kills: { external: number; inSendBefore: number; inSendAfter: number };
  outageMs: number;
  comparison: Comparison;
  viewer: ViewerReport;
  soak: SoakReport | null;
  workDir: string;
  durationMs: number;
}

/** Leases short enough that a message claimed by a killed gateway comes back. */
const LEASE_SECONDS = "5";

/**
 * A campaign on a real `wrangler dev`, sent by a simulated gateway in a
 * child process that is SIGKILLed from outside, kills itself in the middle
 * of sends, and loses its Worker for `outageMs`; then the Worker's
 * statuses are compared with what the simulated WhatsApp really did.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const began = Date.now();
  const deadline = began + options.deadlineMs;
  const workDir = mkdtempSync(join(tmpdir(), "ticks-chaos-"));
  const stackOptions = {
    port: await freePort(),
    persistTo: join(workDir, "wrangler"),
    quiet: true,
    vars: { LEASE_SECONDS },
  };
  options.say(`work dir ${workDir}; starting wrangler dev on ${stackOptions.port}`);
  let stack = await ensureLocalStack(stackOptions);
  const kills = { external: 0, inSendBefore: 0, inSendAfter: 0 };
  const stateFile = join(workDir, "simulated-whatsapp.jsonl");
  const gatewayId = `chaos-${randomBytes(3).toString("hex")}`;
  const dataDir = join(workDir, "gateway");
  const gateway = new GatewayProcess({
    workerUrl: stack.url,
    gatewaySecret: stack.gatewaySecret,
    gatewayId,
    dataDir,
    logFile: join(workDir, "gateway.log"),
    simFlags: simulationFlags(options, stateFile),
  });
  const sends = () => readSimulatedState(stateFile).filter((r) => r.type === "send").length;
  const waitForSends = async (count: number) => {
    while (sends() < count && Date.now() < deadline) await sleep(50);
  };
  const at = (share: number) => Math.max(1, Math.round(options.recipients * share));
  let outageMs = 0;
  try {
    const operator = new OperatorClient(stack);
    const campaign = {
      name: `chaos ${options.recipients}`,
      message: "Hi {{name}}, this is a chaos check.",
      tier: "fast",
      recipients: demoRecipients(options.recipients),
    };
    const { id, link } = await operator.createCampaign(campaign);
    const viewer = await openViewer(stack.url, id, link);
    await operator.move(id, "start");
    options.say(`campaign ${id}: ${options.recipients} recipients, tier fast`);
    gateway.start();

    await waitForSends(at(0.15));
    await gateway.kill();
    kills.external += 1;
    options.say(`SIGKILL from outside after ${sends()} sends; restarting`);
    for (const [share, when] of [
      [0.3, "after"],
      [0.45, "before"],
    ] as const) {
      gateway.start(["--sim-crash", `${at(share)}:${when}`]);
      const ended = await Promise.race([gateway.whenExited(), sleep(deadline - Date.now())]);
      if (ended === "SIGKILL") kills[when === "after" ? "inSendAfter" : "inSendBefore"] += 1;
      options.say(`gateway killed itself in send ${at(share)}, ${when} WhatsApp took it`);
    }
    gateway.start();

    await waitForSends(at(0.6));
    const outage = await workerOutage(stack, stackOptions, gateway, options);
    stack = outage.stack;
    outageMs = outage.ms;
    kills.external += 1;

    await waitForSends(at(0.8));
    await gateway.kill();
    kills.external += 1;
    options.say(`SIGKILL from outside after ${sends()} sends; restarting`);
    gateway.start();

    const statuses = await waitUntilSettled(operator, id, stateFile, deadline, options.say);
    options.say("campaign settled; stopping the gateway with SIGTERM");
    await gateway.stop();
    const viewerReport = await checkViewer(viewer, operator, id);
    options.say(`viewer: ${viewerReport.drops} drops, ${viewerReport.reconnects} reconnects`);
    const soak =
      options.soakMinutes === undefined
        ? null
        : await runSoak(stack, { minutes: options.soakMinutes, rate: 50, say: options.say });
    const unknown = unsettledPhones(join(dataDir, `${gatewayId}.sqlite`));
    const comparison = compare(readTruth(stateFile), await statuses(), unknown);
    const truth = readTruth(stateFile);
    const maxSends = Math.max(0, ...truth.sends.values());
    const crashesInSend = kills.inSendAfter + kills.inSendBefore;
    const ok =
      comparison.duplicates.length === 0 &&
      comparison.lost.length === 0 &&
      comparison.queued === 0 &&
      comparison.unknown.length <= crashesInSend &&
      isDeepStrictEqual(comparison.expectedCounts, comparison.gotCounts) &&
      viewerReport.ok &&
      (soak?.ok ?? true);
    return {
      ok,
      campaignId: id,
      recipients: options.recipients,
      sends: sends(),
      maxSendsPerRecipient: maxSends,
      kills,
      outageMs,
      comparison,
      viewer: viewerReport,
      soak,
      workDir,
      durationMs: Date.now() - began,
    };
  } finally {
    await gateway.kill();
    await stack.stop();
  }
}

function simulationFlags(options: ChaosOptions, stateFile: string): string[] {
  return [
    "--sim",
    "--time-scale",
    String(options.timeScale),
    "--seed",
    String(options.seed),
    "--sim-state",
    stateFile,
    "--sim-unregistered",
    "0.02",
  ];
}

/** The Worker goes away; halfway through, the gateway is killed too. */
async function workerOutage(
  stack: LocalStack,
  stackOptions: Parameters<typeof ensureLocalStack>[0],
  gateway: GatewayProcess,
  options: ChaosOptions,
): Promise<{ stack: LocalStack; ms: number }> {
  const down = Date.now();
  await stack.stop();
  options.say(`Worker stopped for ${options.outageMs} ms`);
  await sleep(options.outageMs / 2);
  await gateway.kill();
  gateway.start();
  options.say("SIGKILL from outside while the Worker is down; restarted");
  await sleep(Math.max(0, down + options.outageMs - Date.now()));
  const restarted = await ensureLocalStack({ ...stackOptions, migrate: false });
  if (!(await isWorkerUp(restarted.url))) throw new Error("the Worker did not come back");
  const ms = Date.now() - down;
  options.say(`Worker back after ${ms} ms`);
  return { stack: restarted, ms };
}

/**
 * Waits until nobody is queued, every planned ack has fallen, and the
 * Worker's statuses stop changing. Returns a reader of the last statuses.
 */
async function waitUntilSettled(
  operator: OperatorClient,
  id: string,
  stateFile: string,
  deadline: number,
  say: (line: string) => void,
) {
  let last: Record<string, string> = {};
  let stablePolls = 0;
  while (Date.now() < deadline && stablePolls < 3) {
    await sleep(1_000);
    const now = await operator.statusByPhone(id);
    const queued = Object.values(now).filter((status) => status === "queued").length;
    const settled = Date.now() > readTruth(stateFile).settledAt + 2_000;
    const same = isDeepStrictEqual(now, last);
    stablePolls = queued === 0 && settled && same ? stablePolls + 1 : 0;
    last = now;
  }
  if (stablePolls < 3) say("deadline reached before the campaign settled");
  return () => operator.statusByPhone(id);
}

/** Phones whose send the gateway recorded but never learnt the outcome of. */
function unsettledPhones(path: string): Set<string> {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db.prepare("SELECT chat_id FROM ledger WHERE settled_at IS NULL").all();
    return new Set(rows.map((row) => phoneOfChatId(String(row.chat_id)) ?? ""));
  } finally {
    db.close();
  }
}
