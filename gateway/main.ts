import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { Pseudonyms } from "./client/pseudonyms.ts";
import { RecordingClient } from "./client/recording.ts";
import { SimulatedClient } from "./client/simulated.ts";
import type { MessagingClient } from "./client/types.ts";
import { WhatsAppWebClient } from "./client/whatsapp-web.ts";
import { readConfig, USAGE, type GatewayConfig } from "./config.ts";
import { Gateway } from "./gateway.ts";
import { createLogger } from "./log.ts";
import { stopOnSignal } from "./stop-signals.ts";
import { TierPacer } from "./pacing.ts";
import { GatewayStore } from "./store/gateway-store.ts";

function createClient(config: GatewayConfig, log: Logger): MessagingClient {
  if (config.simulation) return new SimulatedClient(config.simulation);
  return new WhatsAppWebClient({
    sessionDir: config.sessionDir,
    // LocalAuth accepts only letters, digits, `_` and `-` in a client id.
    clientId: config.gatewayId.replace(/[^\w-]/g, "_"),
    chromiumPath: config.chromiumPath,
    log,
  });
}

function stopOnSignals(gateway: Gateway, log: Logger): void {
  const exit = (code: number) => process.exit(code);
  const onSignal = stopOnSignal({ stop: () => gateway.stop(), exit, log });
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

/** The pseudonyms' salt is kept with the gateway, so they stay stable. */
function recorded(client: MessagingClient, store: GatewayStore, path: string) {
  let salt = store.getMeta("pseudonym_salt");
  if (!salt) {
    salt = randomBytes(16).toString("hex");
    store.setMeta("pseudonym_salt", salt);
  }
  return new RecordingClient(client, path, new Pseudonyms(salt));
}

async function main(log: Logger): Promise<void> {
  const config = readConfig(process.argv.slice(2), process.env);
  const session = config.simulation ? "simulated" : "whatsapp-web";
  const sessionLog = log.child({ session });
  const store = GatewayStore.open(config.dataDir, config.gatewayId);
  const client = config.recordTo
    ? recorded(createClient(config, sessionLog), store, config.recordTo)
    : createClient(config, sessionLog);
  const timeScale = config.simulation?.timeScale ?? 1;
  const pacer = new TierPacer({ timeScale });
  const gateway = new Gateway({ ...config, client, store, pacer, log: sessionLog });
  stopOnSignals(gateway, sessionLog);
  const { workerUrl, dataDir, dailyCap } = config;
  sessionLog.info({ workerUrl, dataDir, dailyCap, timeScale }, "gateway starting");
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
