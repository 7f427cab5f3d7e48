import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { ensureDevVars } from "./dev-vars.ts";
import { applyLocalMigrations, buildPageIfMissing } from "./local-stack.ts";

// `npm run dev`: the Worker alone, ready to use: local secrets written,
// the page built once, migrations applied; then wrangler in the foreground.
ensureDevVars();
buildPageIfMissing();
applyLocalMigrations();
const wrangler = resolve(import.meta.dirname, "..", "node_modules", ".bin", "wrangler");
const child = spawn(wrangler, ["dev", "--port", "8787", ...process.argv.slice(2)], {
  stdio: "inherit",
});
child.on("exit", (code) => process.exit(code ?? 0));
