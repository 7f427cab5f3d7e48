import { EventEmitter } from "node:events";
import { sleep } from "../sleep.ts";
import { planDelivery, seededRandom } from "./simulated-plan.ts";
import {
  ackAt,
  appendSimulatedRecord,
  dueAt,
  readSimulatedState,
  type SendRecord,
  type SimulatedRecord,
} from "./simulated-state.ts";
import {
  phoneOfChatId,
  type ClientEvents,
  type ClientMessage,
  type MessagingClient,
} from "./types.ts";

export interface SimulatedClientOptions {
  /** Same seed, same plans: tests get the same outcomes every run. */
  seed?: number;
  /** Multiplies every delay: 0.1 plays a campaign ten times faster. */
  timeScale?: number;
  /** Keeps what was sent across processes (simulated-state.ts). */
  stateFile?: string;
  /** The share of numbers that are not on WhatsApp. */
  unregisteredShare?: number;
  /** Loses the session as the nth send (counted across processes) is made. */
  disconnect?: { atSend: number; forMs: number };
  /**
   * Kills this process with SIGKILL in the nth send, before or after
   * WhatsApp took it: the worst moments for a gateway to die.
   */
  crashInSend?: { atSend: number; when: "before" | "after" };
}

const SESSION_CLOSED = "Protocol error (Runtime.callFunctionOn): Session closed.";

/** A fake WhatsApp session with field-like timing, for demos and tests. */
export class SimulatedClient extends EventEmitter<ClientEvents> implements MessagingClient {
  private readonly seed: number;
  private readonly timeScale: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sends: SendRecord[] = [];
  private readonly sendsByChat = new Map<string, number>();
  private disconnected = false;

  constructor(private readonly options: SimulatedClientOptions = {}) {
    super();
    this.seed = options.seed ?? Date.now();
    this.timeScale = options.timeScale ?? 1;
    const path = options.stateFile;
    for (const record of path ? readSimulatedState(path) : []) {
      if (record.type === "send") this.remember(record);
    }
  }

  /** Acks still due for messages sent before a restart go on as planned. */
  async initialize(): Promise<void> {
    this.after(300 * this.timeScale, () => this.emit("ready"));
    for (const record of this.sends) this.scheduleAcks(record);
  }

  sendMessage(chatId: string, text = ""): Promise<ClientMessage> {
    if (this.disconnected) return Promise.reject(new Error(SESSION_CLOSED));
    const nth = this.sends.length + 1;
    this.crashIfAsked(nth, "before");
    const record = this.record(chatId, text);
    this.crashIfAsked(nth, "after");
    this.scheduleAcks(record);
    if (this.options.disconnect?.atSend === nth) {
      this.loseSession(this.options.disconnect.forMs);
      return Promise.reject(new Error(SESSION_CLOSED));
    }
    return new Promise((resolve, reject) => {
      const { plan } = record;
      this.after(dueAt(record, plan.sendAnswerMs) - Date.now(), () => {
        if (plan.rejection) reject(new Error(plan.rejection));
        else resolve(this.messageOf(record));
      });
    });
  }

  async getMessageById(serializedId: string): Promise<ClientMessage | null> {
    this.assertConnected();
    const record = this.sends.find(
      (send) => !send.plan.rejection && send.plan.id._serialized === serializedId,
    );
    return record ? this.messageOf(record) : null;
  }

  async isRegisteredUser(chatId: string): Promise<boolean> {
    this.assertConnected();
    const phone = phoneOfChatId(chatId) ?? chatId;
    const roll = seededRandom(hashOf(`${this.seed}:${phone}`))();
    if (roll >= (this.options.unregisteredShare ?? 0)) return true;
    this.append({ type: "unregistered", chatId, at: Date.now() });
    return false;
  }

  async sendTyping(_chatId: string, durationMs: number): Promise<void> {
    this.assertConnected();
    await sleep(durationMs);
  }

  async fetchRecentFromMe(chatId: string, limit: number): Promise<ClientMessage[]> {
    this.assertConnected();
    const mine = this.sends.filter((send) => send.chatId === chatId);
    const delivered = mine.filter((send) => !send.plan.rejection);
    return delivered.slice(-limit).map((record) => this.messageOf(record));
  }

  async destroy(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** How often `sendMessage` was called for a chat id. */
  sendCount(chatId: string): number {
    return this.sendsByChat.get(chatId) ?? 0;
  }

  /** Chat ids that were sent more than one message. */
  chatsMessagedMoreThanOnce(): string[] {
    return [...this.sendsByChat].filter(([, sends]) => sends > 1).map(([chat]) => chat);
  }

  /** Each send gets its own stream, so a restart never repeats an id. */
  private record(chatId: string, body: string): SendRecord {
    const nthForChat = this.sendCount(chatId) + 1;
    const random = seededRandom(hashOf(`${this.seed}:${chatId}:${nthForChat}`));
    const plan = planDelivery(phoneOfChatId(chatId) ?? chatId, random);
    const record: SendRecord = {
      type: "send",
      chatId,
      body,
      at: Date.now(),
      scale: this.timeScale,
      plan,
    };
    this.append(record);
    this.remember(record);
    return record;
  }

  private remember(record: SendRecord): void {
    this.sends.push(record);
    this.sendsByChat.set(record.chatId, this.sendCount(record.chatId) + 1);
  }

  private append(record: SimulatedRecord): void {
    if (this.options.stateFile) appendSimulatedRecord(this.options.stateFile, record);
  }

  /** Acks that fall while the session is down are missed, as in the field. */
  private scheduleAcks(record: SendRecord): void {
    for (const planned of record.plan.acks) {
      const wait = dueAt(record, planned.atMs) - Date.now();
      if (wait < 0) continue;
      const message = { id: planned.id, ack: planned.value };
      this.after(wait, () => {
        if (!this.disconnected) this.emit("message_ack", message, planned.value);
      });
    }
  }

  private messageOf(record: SendRecord): ClientMessage {
    return {
      id: record.plan.id,
      ack: ackAt(record, Date.now()),
      body: record.body,
      timestamp: Math.floor(record.at / 1000),
    };
  }

  private loseSession(forMs: number): void {
    this.disconnected = true;
    this.emit("disconnected", "NAVIGATION");
    this.after(forMs * this.timeScale, () => {
      this.disconnected = false;
      this.emit("ready");
    });
  }

  private assertConnected(): void {
    if (this.disconnected) throw new Error(SESSION_CLOSED);
  }

  private crashIfAsked(nth: number, when: "before" | "after"): void {
    const crash = this.options.crashInSend;
    if (crash?.atSend !== nth || crash.when !== when) return;
    process.kill(process.pid, "SIGKILL");
  }

  private after(ms: number, run: () => void): void {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        run();
      },
      Math.max(0, ms),
    );
    this.timers.add(timer);
  }
}

/** FNV-1a: a stable 32-bit seed from a string. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  return hash >>> 0;
}
