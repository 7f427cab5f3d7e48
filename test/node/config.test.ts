import { describe, expect, it } from "vitest";
import { WhatsAppWebClient } from "../../gateway/client/whatsapp-web.ts";
import { readConfig, readDevVar } from "../../gateway/config.ts";
import { maskPhone } from "../../gateway/log.ts";
import { silentLog } from "./support/fakes.ts";

describe("gateway configuration", () => {
  it("reads flags and takes the secret from the environment", () => {
    const config = readConfig(
      ["--sim", "--time-scale", "0.1", "--interval-ms", "500", "--gateway-id", "gw-1"],
      { GATEWAY_SECRET: "s3cret" },
    );
    expect(config).toMatchObject({
      simulated: true,
      timeScale: 0.1,
      pacing: { intervalMs: 500, jitterMs: 2_000 },
      gatewayId: "gw-1",
      secret: "s3cret",
      workerUrl: "http://127.0.0.1:8787",
      chromiumPath: "/usr/bin/chromium",
    });
  });

  it("refuses a gateway id the Worker would refuse", () => {
    const env = { GATEWAY_SECRET: "s" };
    expect(() => readConfig(["--gateway-id", "gw 1"], env)).toThrow("--gateway-id");
  });

  it("refuses a pacing that is not a number", () => {
    const env = { GATEWAY_SECRET: "s" };
    expect(() => readConfig(["--interval-ms", "soon"], env)).toThrow("--interval-ms");
  });

  it("reads a secret from .dev.vars lines, quoted or not", () => {
    const text = 'OPERATOR_TOKEN=a\nGATEWAY_SECRET="b c"\n';
    expect(readDevVar(text, "GATEWAY_SECRET")).toBe("b c");
    expect(readDevVar("GATEWAY_SECRET=plain", "GATEWAY_SECRET")).toBe("plain");
    expect(readDevVar("OTHER=1", "GATEWAY_SECRET")).toBeUndefined();
  });

  it("masks phone numbers in logs", () => {
    expect(maskPhone("15550001111")).toBe("15*******11");
    expect(maskPhone("+1 555 000 1111")).toBe("15*******11");
    expect(maskPhone("123")).toBe("***");
  });
});

describe("whatsapp-web.js client", () => {
  it("says where to get Chromium instead of launching without one", async () => {
    const client = new WhatsAppWebClient({
      sessionDir: "/nonexistent",
      chromiumPath: "/nonexistent/chromium",
      log: silentLog,
    });
    await expect(client.initialize()).rejects.toThrow("set CHROMIUM_PATH");
  });
});
