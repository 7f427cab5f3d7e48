/**
 * What happens to one simulated message, decided when it is sent. The
 * shares follow what operators report for opted-in lists: nearly all
 * delivered within seconds, most read over the following minutes, a few
 * failures and some people who never open the chat.
 */

export interface RawMessageId {
  fromMe: boolean;
  remote: string;
  id: string;
  _serialized: string;
}

export interface PlannedAck {
  atMs: number;
  value: number;
  id: RawMessageId;
}

export interface DeliveryPlan {
  id: RawMessageId;
  /** When `sendMessage` settles, in ms after it was called. */
  sendAnswerMs: number;
  /** The error text `sendMessage` rejects with, for a refused send. */
  rejection?: string;
  acks: PlannedAck[];
}

/** Error texts whatsapp-web.js users have reported from `sendMessage`. */
const REJECTIONS = ["No LID for user", "Evaluation failed: Error: wid error: invalid wid"];

const SHARE_REFUSED = 0.015;
const SHARE_ERROR_ACK = 0.015;
const SHARE_DELIVERED = 0.97;
const SHARE_READ = 0.72;
/** WhatsApp reports some acks under the contact's `@lid` instead. */
const SHARE_LID_ACKS = 0.3;
/** Now and then the server ack overtakes `sendMessage`'s answer. */
const SHARE_EARLY_SERVER_ACK = 0.05;

type Random = () => number;

/** mulberry32: small, fast and good enough to vary a simulation. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const between = (random: Random, min: number, max: number) => min + random() * (max - min);

/** Exponential delay with the given mean, capped so nothing waits forever. */
const waitAround = (random: Random, meanMs: number, capMs: number) =>
  Math.min(capMs, -meanMs * Math.log(1 - random()));

function hexKey(random: Random): string {
  let hex = "3EB0";
  while (hex.length < 20)
    hex += Math.floor(random() * 16)
      .toString(16)
      .toUpperCase();
  return hex;
}

function rawId(remote: string, key: string): RawMessageId {
  return { fromMe: true, remote, id: key, _serialized: `true_${remote}_${key}` };
}

export function planDelivery(phone: string, random: Random): DeliveryPlan {
  const key = hexKey(random);
  const id = rawId(`${phone}@c.us`, key);
  const lidId = rawId(`${1e14 + Math.floor(random() * 1e13)}@lid`, key);
  const idForAck = () => (random() < SHARE_LID_ACKS ? lidId : id);
  const sendAnswerMs = between(random, 100, 600);
  const roll = random();
  if (roll < SHARE_REFUSED) {
    const rejection = REJECTIONS[Math.floor(random() * REJECTIONS.length)];
    return { id, sendAnswerMs, rejection, acks: [] };
  }
  const early = random() < SHARE_EARLY_SERVER_ACK;
  const serverAt = early ? sendAnswerMs * 0.5 : sendAnswerMs + between(random, 50, 900);
  const acks: PlannedAck[] = [{ atMs: serverAt, value: 1, id: idForAck() }];
  if (roll < SHARE_REFUSED + SHARE_ERROR_ACK) {
    const errorAt = serverAt + between(random, 1_000, 5_000);
    acks.push({ atMs: errorAt, value: -1, id: idForAck() });
    return { id, sendAnswerMs, acks };
  }
  if (random() >= SHARE_DELIVERED) return { id, sendAnswerMs, acks };
  const deliveredAt = serverAt + waitAround(random, 2_000, 20_000);
  acks.push({ atMs: deliveredAt, value: 2, id: idForAck() });
  if (random() < SHARE_READ) {
    const readAt = deliveredAt + waitAround(random, 90_000, 900_000);
    acks.push({ atMs: readAt, value: 3, id: idForAck() });
  }
  return { id, sendAnswerMs, acks };
}
