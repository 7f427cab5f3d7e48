import { EventEmitter } from "node:events";
import { planDelivery, seededRandom, type DeliveryPlan } from "./simulated-plan.ts";
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
}

/** A fake WhatsApp session with field-like timing, for demos and tests. */
export class SimulatedClient
  extends EventEmitter<ClientEvents>
  implements MessagingClient
{
  private readonly random: () => number;
  private readonly timeScale: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sendsByChat = new Map<string, number>();
  private readonly messages = new Map<string, ClientMessage>();

  constructor(options: SimulatedClientOptions = {}) {
    super();
    this.random = seededRandom(options.seed ?? Date.now());
    this.timeScale = options.timeScale ?? 1;
  }

  async initialize(): Promise<void> {
    this.after(300, () => this.emit("ready"));
  }

  sendMessage(chatId: string): Promise<ClientMessage> {
    this.sendsByChat.set(chatId, this.sendCount(chatId) + 1);
    const plan = planDelivery(phoneOfChatId(chatId) ?? chatId, this.random);
    for (const ack of plan.acks) {
      const message = { id: ack.id, ack: ack.value };
      this.after(ack.atMs, () => this.emit("message_ack", message, ack.value));
    }
    return new Promise((resolve, reject) => {
      this.after(plan.sendAnswerMs, () => this.answerSend(plan, resolve, reject));
    });
  }

  async getMessageById(serializedId: string): Promise<ClientMessage | null> {
    return this.messages.get(serializedId) ?? null;
  }

  async isRegisteredUser(): Promise<boolean> {
    return true;
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

  private answerSend(
    plan: DeliveryPlan,
    resolve: (message: ClientMessage) => void,
    reject: (error: Error) => void,
  ): void {
    if (plan.rejection) return reject(new Error(plan.rejection));
    const message = { id: plan.id, ack: 0 };
    this.messages.set(plan.id._serialized, message);
    resolve(message);
  }

  private after(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms * this.timeScale);
    this.timers.add(timer);
  }
}
