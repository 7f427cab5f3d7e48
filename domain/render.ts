/** Placeholders look like `{{name}}`; spaces inside the braces are allowed. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Variables a template needs that `vars` lacks or leaves blank. */
export function missingVariables(
  template: string,
  vars: Record<string, string | undefined>,
): string[] {
  return placeholdersOf(template).filter((name) => !vars[name]?.trim());
}

export function renderMessage(template: string, vars: Record<string, string | undefined>): string {
  const missing = missingVariables(template, vars);
  if (missing.length > 0) {
    throw new Error(`message needs ${missing.join(", ")}, which is missing`);
  }
  return template.replace(PLACEHOLDER, (_, name: string) => vars[name]!);
}
