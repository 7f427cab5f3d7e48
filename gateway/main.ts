import type { Logger } from "pino";
import { SimulatedClient } from "./client/simulated.ts";
import type { MessagingClient } from "./client/types.ts";
import { WhatsAppWebClient } from "./client/whatsapp-web.ts";
import { readConfig, USAGE, type GatewayConfig } from "./config.ts";
import { Gateway } from "./gateway.ts";
import { createLogger } from "./log.ts";

function createClient(config: GatewayConfig, log: Logger): MessagingClient {
  if (config.simulated) {
    return new SimulatedClient({ seed: config.seed, timeScale: config.timeScale });
  }
  return new WhatsAppWebClient({
    sessionDir: config.sessionDir,
    // LocalAuth accepts only letters, digits, `_` and `-` in a client id.
    clientId: config.gatewayId.replace(/[^\w-]/g, "_"),
    chromiumPath: config.chromiumPath,
    log,
  });
}

/** First signal: stop claiming, hand over events, exit. Second: exit now. */
function stopOnSignals(gateway: Gateway, log: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, "stopping");
    gateway.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, "stop failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

async function main(log: Logger): Promise<void> {
  const config = readConfig(process.argv.slice(2), process.env);
  const session = config.simulated ? "simulated" : "whatsapp-web";
  const sessionLog = log.child({ session });
  const client = createClient(config, sessionLog);
  const gateway = new Gateway({ ...config, client, log: sessionLog });
  stopOnSignals(gateway, sessionLog);
  const { workerUrl, pacing } = config;
  sessionLog.info({ workerUrl, pacing }, "gateway starting");
  try {
    await gateway.start();
  } catch (error) {
    // The Worker should still learn that this session failed.
    await gateway.stop();
    throw error;
  }
}

if (process.argv.includes("--help")) {
  process.stdout.write(`${USAGE}\n`);
} else {
  const log = createLogger();
  main(log).catch((error: unknown) => {
    log.fatal({ err: error }, "gateway could not start");
    process.exit(1);
  });
}
