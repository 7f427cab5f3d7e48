import { localDay, type SendLedger } from "./store/send-ledger.ts";

/**
 * At most `limit` sends per number per local day: new numbers that send
 * hundreds of messages a day are the ones WhatsApp bans first. Sends are
 * counted in the ledger, so a restart does not reset the count.
 */
export class DailyCap {
  constructor(
    private readonly ledger: SendLedger,
    readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  get today(): string {
    return localDay(this.now());
  }

  reached(): boolean {
    return this.ledger.sendsOn(this.today) >= this.limit;
  }

  /** Until the gateway's next local midnight. */
  msUntilReset(): number {
    const now = new Date(this.now());
    const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
    return midnight.getTime() - now.getTime();
  }
}
