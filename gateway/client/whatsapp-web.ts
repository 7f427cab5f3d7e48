import { EventEmitter } from "node:events";
import { accessSync, constants } from "node:fs";
import type { Logger } from "pino";
import qrcodeTerminal from "qrcode-terminal";
import wwebjs from "whatsapp-web.js";
import { sleep } from "../sleep.ts";
import type { ClientEvents, ClientMessage, MessagingClient } from "./types.ts";

export interface WhatsAppWebOptions {
  /** LocalAuth keeps the logged-in session here, so a restart needs no QR. */
  sessionDir: string;
  /** Separates sessions of several gateways sharing one `sessionDir`. */
  clientId?: string;
  /** The browser to drive; puppeteer must never download one itself. */
  chromiumPath: string;
  headless?: boolean;
  log: Logger;
  /** First wait before a new session after a disconnect; doubles up to 5 min. */
  reconnectDelayMs?: number;
}

/**
 * Flags for Chromium as root in a container: no sandbox (it needs user
 * namespaces) and no reliance on a small /dev/shm.
 */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-setuid-sandbox",
  "--disable-dev-shm-usage",
  "--disable-gpu",
  "--no-first-run",
];

const MAX_RECONNECT_DELAY_MS = 300_000;

/**
 * The real client. whatsapp-web.js destroys its client after `disconnected`,
 * so this wrapper builds a new one, with the same LocalAuth session, until
 * `destroy` is called.
 */
export class WhatsAppWebClient extends EventEmitter<ClientEvents> implements MessagingClient {
  private client: wwebjs.Client | undefined;
  private destroyed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelayMs: number;

  constructor(private readonly options: WhatsAppWebOptions) {
    super();
    this.reconnectDelayMs = options.reconnectDelayMs ?? 5_000;
  }

  async initialize(): Promise<void> {
    assertExecutable(this.options.chromiumPath);
    this.client = this.createClient();
    await this.client.initialize();
  }

  async sendMessage(chatId: string, text: string): Promise<ClientMessage> {
    return this.connected().sendMessage(chatId, text);
  }

  async getMessageById(serializedId: string): Promise<ClientMessage | null> {
    return (await this.connected().getMessageById(serializedId)) ?? null;
  }

  async isRegisteredUser(chatId: string): Promise<boolean> {
    return this.connected().isRegisteredUser(chatId);
  }

  /**
   * WhatsApp shows `sendStateTyping` for about 25 s unless cleared. A chat
   * that cannot be opened (a number never messaged may have none yet) gets
   * no indicator: the send itself will say whether the number works.
   */
  async sendTyping(chatId: string, durationMs: number): Promise<void> {
    const chat = await this.connected()
      .getChatById(chatId)
      .catch((error: unknown) => {
        this.options.log.debug({ err: error }, "no chat to show typing in");
        return undefined;
      });
    await chat?.sendStateTyping();
    await sleep(durationMs);
    await chat?.clearState();
  }

  async fetchRecentFromMe(chatId: string, limit: number): Promise<ClientMessage[]> {
    const chat = await this.connected().getChatById(chatId);
    if (!chat) return [];
    return chat.fetchMessages({ fromMe: true, limit });
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    clearTimeout(this.reconnectTimer);
    await this.client?.destroy();
    this.client = undefined;
  }

  private connected(): wwebjs.Client {
    if (!this.client) throw new Error("Session closed: WhatsApp is not connected");
    return this.client;
  }

  private createClient(): wwebjs.Client {
    const { sessionDir, clientId, chromiumPath, headless } = this.options;
    const client = new wwebjs.Client({
      authStrategy: new wwebjs.LocalAuth({ dataPath: sessionDir, clientId }),
      puppeteer: {
        executablePath: chromiumPath,
        headless: headless ?? true,
        args: CHROMIUM_ARGS,
      },
    });
    client.on("qr", (qr: string) => this.onQr(qr));
    client.on("ready", () => this.onReady());
    client.on("auth_failure", (message: string) => this.emit("auth_failure", String(message)));
    client.on("disconnected", (reason: string) => this.onDisconnected(String(reason)));
    client.on("message_ack", (message: ClientMessage, ack: number) =>
      this.emit("message_ack", message, ack),
    );
    return client;
  }

  /** On stderr: stdout carries one JSON log object per line. */
  private onQr(qr: string): void {
    const print = (art: string) => process.stderr.write(`${art}\n`);
    qrcodeTerminal.generate(qr, { small: true }, print);
    this.emit("qr", qr);
  }

  private onReady(): void {
    this.reconnectDelayMs = this.options.reconnectDelayMs ?? 5_000;
    this.emit("ready");
  }

  private onDisconnected(reason: string): void {
    this.client = undefined;
    this.emit("disconnected", reason);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.destroyed) return;
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS);
    this.options.log.info({ delayMs: delay }, "new WhatsApp session scheduled");
    this.reconnectTimer = setTimeout(() => void this.reconnect(), delay);
  }

  private async reconnect(): Promise<void> {
    if (this.destroyed) return;
    try {
      await this.initialize();
    } catch (error) {
      this.options.log.error({ err: error }, "WhatsApp session did not start");
      await this.client?.destroy().catch((closeError: unknown) => {
        this.options.log.warn({ err: closeError }, "half-started session not closed");
      });
      this.client = undefined;
      this.scheduleReconnect();
    }
  }
}

function assertExecutable(path: string): void {
  try {
    accessSync(path, constants.X_OK);
  } catch (cause) {
    throw new Error(
      `no Chromium at ${path}: install it (apt-get install chromium) ` + "or set CHROMIUM_PATH",
      { cause },
    );
  }
}
