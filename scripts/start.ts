import { SimulatedClient } from "../gateway/client/simulated.ts";
import { Gateway } from "../gateway/gateway.ts";
import { createLogger } from "../gateway/log.ts";
import { TierPacer } from "../gateway/pacing.ts";
import { DEMO_MESSAGE, demoRecipients } from "./demo-campaign.ts";
import { ensureLocalStack } from "./local-stack.ts";
import { OperatorClient } from "./operator-client.ts";

// `npm start`: the whole path on this machine. The simulated WhatsApp runs
// its clock four times faster than the field so the page moves visibly;
// the pace of sending is still one message at a time.
const RECIPIENTS = Number(process.env.DEMO_RECIPIENTS ?? 300);
const TIME_SCALE = 0.25;
const PACING_SCALE = 0.001;

async function main(): Promise<void> {
  const stack = await ensureLocalStack({ port: 8787 });
  const operator = new OperatorClient(stack);
  const { id, link } = await operator.createCampaign({
    name: "Winter sale (demo)",
    message: DEMO_MESSAGE,
    recipients: demoRecipients(RECIPIENTS),
  });
  await operator.move(id, "start");
  // The simulated failures are expected here; only real trouble is shown.
  const log = createLogger({ level: process.env.LOG_LEVEL ?? "error" });
  const gateway = new Gateway({
    client: new SimulatedClient({ timeScale: TIME_SCALE }),
    workerUrl: stack.url,
    gatewayId: "demo-gateway",
    secret: stack.gatewaySecret,
    // About a thousand times faster than the careful tier it is created in.
    pacer: new TierPacer({ timeScale: PACING_SCALE }),
    log,
  });
  await gateway.start();
  printLink(link, RECIPIENTS);
  stopOnSignal(async () => {
    await gateway.stop();
    await stack.stop();
  });
}

function printLink(link: string, count: number): void {
  process.stdout.write(
    `\nDemo campaign of ${count} recipients is sending.\n` +
      `Open the campaign page:\n\n  ${link}\n\n` +
      "Press Ctrl-C to stop the gateway and the Worker.\n",
  );
}

function stopOnSignal(stop: () => Promise<void>): void {
  const onSignal = () => {
    process.stdout.write("\nstopping…\n");
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
