/**
 * The Ticks status model, defined once for every part of the system.
 *
 * A recipient holds exactly one status and only ever moves up this order,
 * so applying an event is a `max` over ranks. That makes application
 * commutative and idempotent: any interleaving or repetition of the same
 * events ends in the same status (see docs/status-model.md).
 */
export const STATUSES = [
  "queued",
  "pending",
  "sent",
  "failed",
  "delivered",
  "read",
  "played",
] as const;

export type Status = (typeof STATUSES)[number];

const RANK: Record<Status, number> = Object.fromEntries(
  STATUSES.map((status, index) => [status, index]),
) as Record<Status, number>;

export function statusRank(status: Status): number {
  return RANK[status];
}

export function statusAtRank(rank: number): Status {
  const status = STATUSES[rank];
  if (status === undefined) throw new RangeError(`no status at rank ${rank}`);
  return status;
}

export function isStatus(value: unknown): value is Status {
  return typeof value === "string" && value in RANK;
}

/** The status a recipient ends in after `incoming` is applied to `current`. */
export function applyStatus<S extends Status>(current: S, incoming: S): S {
  return RANK[incoming] > RANK[current] ? incoming : current;
}

/** Number of recipients in each status; every status is present. */
export type StatusCounts = Record<Status, number>;

export function emptyStatusCounts(): StatusCounts {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as StatusCounts;
}
