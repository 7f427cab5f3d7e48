import { funnelFromStatusCounts, type Funnel } from "../../domain/funnel.ts";
import { emptyStatusCounts, type Status } from "../../domain/status.ts";
import {
  finalStatusOf,
  readSimulatedState,
  settlesAt,
} from "../../gateway/client/simulated-state.ts";
import { phoneOfChatId } from "../../gateway/client/types.ts";

/** What the simulated WhatsApp really did, from its state file. */
export interface SimulatedTruth {
  /** phone → how often `sendMessage` was called for it */
  sends: Map<string, number>;
  /** phone → the status it ends in once every planned ack has come */
  finalStatus: Map<string, Status>;
  /** when the last planned ack falls */
  settledAt: number;
}

export function readTruth(stateFile: string): SimulatedTruth {
  const truth: SimulatedTruth = { sends: new Map(), finalStatus: new Map(), settledAt: 0 };
  for (const record of readSimulatedState(stateFile)) {
    const phone = phoneOfChatId(record.chatId) ?? record.chatId;
    if (record.type === "unregistered") {
      truth.finalStatus.set(phone, "failed");
      continue;
    }
    truth.sends.set(phone, (truth.sends.get(phone) ?? 0) + 1);
    truth.finalStatus.set(phone, finalStatusOf(record));
    truth.settledAt = Math.max(truth.settledAt, settlesAt(record));
  }
  return truth;
}

export interface Comparison {
  /** phones sent more than one message */
  duplicates: string[];
  /** phones whose Worker status differs from what WhatsApp did */
  lost: Array<{ phone: string; expected: Status; got: Status }>;
  /** phones still queued on the Worker */
  queued: number;
  /**
   * Phones the Worker shows pending whose send the gateway recorded but
   * whose outcome it could not read back: left pending on purpose.
   */
  unknown: string[];
  expectedCounts: Funnel;
  gotCounts: Funnel;
}

/**
 * Compares the Worker's statuses with the simulation. A recipient nobody
 * sent to must be queued or pending; `unknownOutcome` are the sends the
 * gateway's ledger left unsettled, which may stay pending whatever the
 * simulation did with them.
 */
export function compare(
  truth: SimulatedTruth,
  worker: Record<string, Status>,
  unknownOutcome: Set<string> = new Set(),
): Comparison {
  const result: Comparison = {
    duplicates: [...truth.sends].filter(([, n]) => n > 1).map(([phone]) => phone),
    lost: [],
    queued: 0,
    unknown: [],
    expectedCounts: funnelFromStatusCounts(emptyStatusCounts()),
    gotCounts: funnelFromStatusCounts(emptyStatusCounts()),
  };
  const expected = emptyStatusCounts();
  const got = emptyStatusCounts();
  for (const [phone, status] of Object.entries(worker)) {
    got[status] += 1;
    if (status === "queued") result.queued += 1;
    const truthStatus = truth.finalStatus.get(phone);
    const notSent = truthStatus === undefined && (status === "queued" || status === "pending");
    const leftPending = status === "pending" && unknownOutcome.has(phone);
    if (leftPending) result.unknown.push(phone);
    const wanted = notSent || leftPending ? status : (truthStatus ?? "queued");
    expected[wanted] += 1;
    if (wanted !== status) result.lost.push({ phone, expected: wanted, got: status });
  }
  result.expectedCounts = funnelFromStatusCounts(expected);
  result.gotCounts = funnelFromStatusCounts(got);
  return result;
}
