import { createHmac } from "node:crypto";

/**
 * Stable made-up numbers for real ones, so a recorded trace can be shared
 * without the recipients' numbers and still tell recipients apart. The
 * same salt gives the same pseudonym in every recording of a gateway.
 */
export class Pseudonyms {
  constructor(private readonly salt: string) {}

  /** Digits in, digits out: `1555` and nine digits, or a 15-digit @lid. */
  phone(digits: string, kind: "phone" | "lid" = "phone"): string {
    const hash = createHmac("sha256", this.salt).update(digits).digest();
    const number = hash.readBigUInt64BE(0).toString().padStart(14, "0");
    return kind === "lid" ? `9${number.slice(-14)}` : `1555${number.slice(-9)}`;
  }

  /** `<digits>@c.us` and `<digits>@lid` become pseudonyms; others stay. */
  chatId(chatId: string): string {
    return chatId.replace(
      /^(\d+)@(c\.us|lid)$/,
      (_, digits: string, server: string) =>
        `${this.phone(digits, server === "lid" ? "lid" : "phone")}@${server}`,
    );
  }

  /**
   * A message id in any of its shapes (domain/message-id.ts) with the chat
   * and participant parts replaced; the hex key, which names the message
   * and nobody, is kept.
   */
  messageId(raw: unknown): unknown {
    if (typeof raw === "string") return this.serialized(raw);
    if (raw === null || typeof raw !== "object") return raw;
    return Object.fromEntries(
      Object.entries(raw).map(([key, value]) => [key, this.idPart(key, value)]),
    );
  }

  /** Long digit runs in an error text may be numbers: replaced too. */
  text(text: string): string {
    return text.replace(/\b\d{7,15}\b/g, (digits) => this.phone(digits));
  }

  private idPart(key: string, value: unknown): unknown {
    if (key === "id") return value;
    if (typeof value === "string") return this.serialized(value);
    if (value !== null && typeof value === "object") return this.wid(value);
    return value;
  }

  /** `{ server, user, _serialized }`, as whatsapp-web.js gives a chat. */
  private wid(value: object): object {
    const fields = value as Record<string, unknown>;
    const server = fields.server === "lid" ? "lid" : "phone";
    const { user, _serialized: serialized } = fields;
    return {
      ...fields,
      user: typeof user === "string" ? this.phone(user, server) : user,
      ...(typeof serialized === "string" ? { _serialized: this.chatId(serialized) } : {}),
    };
  }

  private serialized(value: string): string {
    const parts = value.split("_");
    if (parts.length < 3) return this.chatId(value);
    const isChat = (n: number) => n === 1 || n === 3;
    return parts.map((part, n) => (isChat(n) ? this.chatId(part) : part)).join("_");
  }
}
