import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { applyStatus, type Status } from "../../domain/status.ts";
import { statusForAck } from "../ack-adapter.ts";
import type { DeliveryPlan } from "./simulated-plan.ts";

/**
 * What the simulated WhatsApp did, one JSON object per line, appended
 * synchronously before `sendMessage` answers. It outlives the gateway
 * process, so a SIGKILLed gateway's simulation carries on after a restart
 * and a chaos check can compare the Worker's counts with the truth.
 */
export type SimulatedRecord =
  | {
      type: "send";
      chatId: string;
      body: string;
      /** ms since epoch when `sendMessage` was called */
      at: number;
      /** the simulation's time scale, applied to the plan's delays */
      scale: number;
      plan: DeliveryPlan;
    }
  | { type: "unregistered"; chatId: string; at: number };

export type SendRecord = Extract<SimulatedRecord, { type: "send" }>;

export function readSimulatedState(path: string): SimulatedRecord[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, "utf8").split("\n");
  // A process killed mid-write leaves at most a torn last line.
  return lines.flatMap((line) => {
    if (line.trim() === "") return [];
    try {
      return [JSON.parse(line) as SimulatedRecord];
    } catch {
      return [];
    }
  });
}

export function appendSimulatedRecord(path: string, record: SimulatedRecord): void {
  appendFileSync(path, `${JSON.stringify(record)}\n`);
}

/** When a planned delay of the send falls, in ms since epoch. */
export function dueAt(record: SendRecord, delayMs: number): number {
  return record.at + delayMs * record.scale;
}

/** The ack WhatsApp would show for the message at `now` (0 once sent). */
export function ackAt(record: SendRecord, now: number): number {
  let ack = 0;
  for (const planned of record.plan.acks) {
    if (dueAt(record, planned.atMs) <= now) ack = planned.value;
  }
  return ack;
}

/** The status the recipient ends in once every planned ack has come. */
export function finalStatusOf(record: SendRecord): Status {
  if (record.plan.rejection) return "failed";
  let status: Status = "pending";
  for (const { value } of record.plan.acks) {
    status = applyStatus(status, statusForAck(value) ?? status);
  }
  return status;
}

/** When the last thing planned for the send happens. */
export function settlesAt(record: SendRecord): number {
  const delays = record.plan.acks.map((ack) => ack.atMs);
  return dueAt(record, Math.max(record.plan.sendAnswerMs, ...delays));
}
