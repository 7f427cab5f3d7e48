/**
 * Reading whatsapp-web.js message ids, in every shape seen in the field
 * (see ../shared/reference/README.md):
 * - the serialized string `<fromMe>_<remote>_<hex>` with an optional
 *   `_<participant>` on group messages;
 * - the raw id object `{ fromMe, remote, id, _serialized }`, where `remote`
 *   and `participant` may be strings or `{ server, user, _serialized }`
 *   objects and `_serialized` may be missing or renamed.
 *
 * The same message is reported with a phone chat id (`@c.us`) in one event
 * and a `@lid` in another, so only the hex part identifies it.
 */
export interface ParsedMessageId {
  fromMe: boolean;
  /** the message's own id, upper-cased so that matching ignores case */
  key: string;
}

export function parseMessageId(raw: unknown): ParsedMessageId | null {
  if (typeof raw === "string") return parseSerialized(raw);
  if (raw === null || typeof raw !== "object") return null;
  const fields = raw as Record<string, unknown>;
  if (typeof fields.id === "string" && fields.id.length > 0) {
    const fromMe = readFromMe(fields.fromMe);
    if (fromMe !== null) return { fromMe, key: fields.id.toUpperCase() };
  }
  return parseAnySerializedField(fields);
}

function readFromMe(value: unknown): boolean | null {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  return null;
}

function parseSerialized(serialized: string): ParsedMessageId | null {
  const parts = serialized.split("_");
  if (parts.length < 3) return null;
  const fromMe = readFromMe(parts[0]);
  const id = parts[2];
  if (fromMe === null || !id || !parts[1]?.includes("@")) return null;
  return { fromMe, key: id.toUpperCase() };
}

/** Some builds renamed `_serialized`; any string field of that form will do. */
function parseAnySerializedField(fields: Record<string, unknown>): ParsedMessageId | null {
  for (const value of Object.values(fields)) {
    if (typeof value !== "string") continue;
    const parsed = parseSerialized(value);
    if (parsed) return parsed;
  }
  return null;
}
