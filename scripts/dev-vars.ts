import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

export const DEV_VARS_PATH = resolve(import.meta.dirname, "..", ".dev.vars");
const SECRET_NAMES = ["OPERATOR_TOKEN", "GATEWAY_SECRET", "LINK_SECRET"] as const;
export type LocalSecrets = Record<(typeof SECRET_NAMES)[number], string>;

function parseVars(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = line.match(/^\s*([A-Z_][A-Z0-9_]*)\s*=\s*"?([^"]*)"?\s*$/);
    if (match) vars[match[1]!] = match[2]!;
  }
  return vars;
}

/**
 * Local secrets live in .dev.vars (git-ignored), where `wrangler dev` reads
 * them. Missing ones are created with random values on first use and kept,
 * so links and a running gateway stay valid across restarts.
 */
export function ensureDevVars(path = DEV_VARS_PATH): LocalSecrets {
  const existing = existsSync(path) ? readFileSync(path, "utf8") : "";
  const vars = parseVars(existing);
  const added = SECRET_NAMES.filter((name) => !vars[name]);
  for (const name of added) vars[name] = randomBytes(24).toString("base64url");
  if (added.length > 0) {
    const lines = added.map((name) => `${name}=${vars[name]}`);
    const prefix = existing && !existing.endsWith("\n") ? "\n" : "";
    writeFileSync(path, existing + prefix + lines.join("\n") + "\n", {
      mode: 0o600,
    });
  }
  return Object.fromEntries(SECRET_NAMES.map((name) => [name, vars[name]!])) as LocalSecrets;
}
