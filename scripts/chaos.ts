import { runChaos, type ChaosReport } from "./chaos/scenario.ts";

// `npm run chaos`: the crash and outage checks of docs/gateway.md on a
// campaign of RECIPIENTS, with a 30 s Worker outage. Exits non-zero on any
// duplicate, lost event or count that differs from what WhatsApp did.
const RECIPIENTS = Number(process.env.CHAOS_RECIPIENTS ?? 500);
const OUTAGE_MS = Number(process.env.CHAOS_OUTAGE_MS ?? 30_000);

function say(line: string): void {
  const elapsed = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[chaos ${elapsed}s] ${line}\n`);
}

function printReport(report: ChaosReport): void {
  const { comparison: c } = report;
  const lines = [
    "",
    `campaign ${report.campaignId}: ${report.recipients} recipients, ` +
      `${report.sends} sendMessage calls`,
    `kills: ${report.kills.external} SIGKILL from outside, ` +
      `${report.kills.inSendAfter} inside a send after WhatsApp took it, ` +
      `${report.kills.inSendBefore} inside a send before it did`,
    `Worker outage: ${report.outageMs} ms`,
    `sends per recipient: at most ${report.maxSendsPerRecipient}; ` +
      `messaged twice: ${c.duplicates.length}`,
    `expected counts: ${JSON.stringify(c.expectedCounts)}`,
    `Worker counts:   ${JSON.stringify(c.gotCounts)}`,
    `statuses that differ from WhatsApp: ${c.lost.length}` +
      (c.lost.length ? ` ${JSON.stringify(c.lost.slice(0, 10))}` : ""),
    `still queued: ${c.queued}`,
    `left pending on purpose (outcome unknowable after a kill): ${c.unknown.length}`,
    `took ${(report.durationMs / 1000).toFixed(0)} s; logs in ${report.workDir}`,
    report.ok ? "RESULT: no loss, no duplicate" : "RESULT: FAILED",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

const started = Date.now();
runChaos({
  recipients: RECIPIENTS,
  outageMs: OUTAGE_MS,
  timeScale: 0.01,
  seed: Number(process.env.CHAOS_SEED ?? 2026),
  deadlineMs: 15 * 60_000,
  say,
}).then(
  (report) => {
    printReport(report);
    process.exitCode = report.ok ? 0 : 1;
  },
  (error: unknown) => {
    process.stderr.write(`chaos run failed: ${error instanceof Error ? error.stack : error}\n`);
    process.exitCode = 1;
  },
);
