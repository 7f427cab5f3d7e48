import { parseArgs } from "node:util";
import { runChaos, type ChaosReport } from "./chaos/scenario.ts";
import type { SoakReport } from "./chaos/soak.ts";
import type { ViewerReport } from "./chaos/viewer-check.ts";

// `npm run chaos`: the crash and outage checks of docs/gateway.md on a
// campaign of RECIPIENTS, with a 30 s Worker outage. Exits non-zero on any
// duplicate, lost event or count that differs from what WhatsApp did.
const RECIPIENTS = Number(process.env.CHAOS_RECIPIENTS ?? 500);
const OUTAGE_MS = Number(process.env.CHAOS_OUTAGE_MS ?? 30_000);
const { values: flags } = parseArgs({
  options: {
    "soak-minutes": { type: "string", default: "10" },
    "skip-soak": { type: "boolean", default: false },
  },
});
const SOAK_MINUTES = Number(flags["soak-minutes"]);
if (!(SOAK_MINUTES > 0 && SOAK_MINUTES <= 120)) {
  throw new Error("--soak-minutes takes minutes above 0, at most 120");
}

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
    ...viewerLines(report.viewer),
    ...soakLines(report.soak),
    `took ${(report.durationMs / 1000).toFixed(0)} s; logs in ${report.workDir}`,
    report.ok ? "RESULT: no loss, no duplicate, no mismatch" : "RESULT: FAILED",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

function viewerLines(viewer: ViewerReport): string[] {
  return [
    `viewer: socket dropped ${viewer.drops}x, reconnected ${viewer.reconnects}x ` +
      `(${viewer.failedAttempts} attempts refused while the Worker was down)`,
    `viewer's last snapshot: ${JSON.stringify(viewer.shown)}`,
    `GET /api/campaigns/:id: ${JSON.stringify(viewer.api)}`,
    `D1 recount:             ${JSON.stringify(viewer.recounted)}`,
    `viewer: ${viewer.ok ? "matches" : "MISMATCH"}`,
  ];
}

function soakLines(soak: SoakReport | null): string[] {
  if (!soak) return ["soak: skipped"];
  const mib = soak.rssMiB.map((v) => v.toFixed(0));
  const peak = Math.max(...soak.rssMiB).toFixed(0);
  const rate = (soak.posted / soak.seconds).toFixed(1);
  return [
    `soak ${soak.campaignId}: ${soak.posted} single-event batches in ` +
      `${soak.seconds.toFixed(0)} s (${rate}/s), ${soak.failed} failed`,
    `workerd RSS MiB: start ${mib[0]}, peak ${peak}, end ${mib.at(-1)} ` +
      `(every 10 s: ${mib.join(" ")})`,
    `soak model:      ${JSON.stringify(soak.expected)}`,
    `soak API counts: ${JSON.stringify(soak.shown)}`,
    `soak D1 recount: ${JSON.stringify(soak.recounted)}`,
    `soak: ${soak.ok ? "exact" : "MISMATCH"}`,
  ];
}

const started = Date.now();
runChaos({
  recipients: RECIPIENTS,
  outageMs: OUTAGE_MS,
  timeScale: 0.01,
  seed: Number(process.env.CHAOS_SEED ?? 2026),
  deadlineMs: 15 * 60_000,
  soakMinutes: flags["skip-soak"] ? undefined : SOAK_MINUTES,
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
