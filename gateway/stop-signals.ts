import type { Logger } from "pino";

/**
 * One Ctrl-C can arrive twice: the terminal signals the whole foreground
 * group, and the tsx wrapper forwards the same SIGINT to the gateway. A
 * repeat this soon after the first is taken as the same request.
 */
export const REPEAT_WINDOW_MS = 1_000;

export interface StopSignalOptions {
  stop: () => Promise<void>;
  exit: (code: number) => void;
  log: Logger;
  now?: () => number;
}

/**
 * First signal: stop claiming, hand over events, exit 0. A second one
 * more than REPEAT_WINDOW_MS later: exit 1 at once; the outbox and the
 * ledger are on disk, so the next start picks up what was left.
 */
export function stopOnSignal(options: StopSignalOptions) {
  const now = options.now ?? Date.now;
  let firstAt: number | undefined;
  return (signal: NodeJS.Signals): void => {
    const { exit, log } = options;
    if (firstAt !== undefined) {
      const sinceFirstMs = now() - firstAt;
      if (sinceFirstMs < REPEAT_WINDOW_MS) {
        log.info({ signal, sinceFirstMs }, "repeated signal, already stopping");
        return;
      }
      log.warn({ signal }, "second signal, exiting now");
      exit(1);
      return;
    }
    firstAt = now();
    log.info({ signal }, "stopping");
    options.stop().then(
      () => exit(0),
      (error: unknown) => {
        log.error({ err: error }, "stop failed");
        exit(1);
      },
    );
  };
}
