import { parseArgs } from "node:util";
import { ensureLocalStack } from "./local-stack.ts";

const USAGE = `npm run token -- [--name <workspace name>] [--gateway <gateway id>] [--remote <url>]

Creates a workspace and its first operator token, and with --gateway
registers a gateway in it and prints that gateway's own secret. Locally it
uses the Worker on 8787 (starting one if none runs) and the bootstrap
OPERATOR_TOKEN in .dev.vars; with --remote it calls a deployed Worker, with
the bootstrap token read from the OPERATOR_TOKEN environment variable.
Tokens and secrets are shown once: store them now.`;

async function call(url: string, token: string, path: string, body: unknown) {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

async function target(remote: string | undefined) {
  if (!remote) return ensureLocalStack();
  const token = process.env.OPERATOR_TOKEN;
  if (!token) throw new Error("set OPERATOR_TOKEN to the deployment's bootstrap token");
  return { url: remote.replace(/\/+$/, ""), operatorToken: token, stop: async () => {} };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: "string", default: "My team" },
      gateway: { type: "string" },
      remote: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const stack = await target(values.remote);
  try {
    const made = await call(stack.url, stack.operatorToken, "/api/workspaces", {
      name: values.name,
    });
    const { workspace, token } = made as { workspace: { id: string }; token: { token: string } };
    process.stdout.write(`workspace: ${workspace.id}\noperator token: ${token.token}\n`);
    if (values.gateway) {
      const gateway = await call(stack.url, token.token, "/api/gateways", { id: values.gateway });
      process.stdout.write(`gateway: ${values.gateway}\ngateway secret: ${gateway.secret}\n`);
    }
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`token failed: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
