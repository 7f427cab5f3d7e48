import { describe, expect, it } from "vitest";
import { WhatsAppWebClient } from "../../gateway/client/whatsapp-web.ts";
import { readConfig, readDevVar } from "../../gateway/config.ts";
import { maskPhone } from "../../gateway/log.ts";
import { silentLog } from "./support/fakes.ts";

describe("gateway configuration", () => {
  it("reads flags and takes the secret from the environment", () => {
    const config = readConfig(
      ["--sim", "--time-scale", "0.1", "--gateway-id", "gw-1", "--daily-cap", "50"],
      { GATEWAY_SECRET: "s3cret" },
    );
    expect(config).toMatchObject({
      simulation: { timeScale: 0.1, unregisteredShare: 0.01 },
      gatewayId: "gw-1",
      secret: "s3cret",
      dailyCap: 50,
      dataDir: ".ticks/gateway",
      workerUrl: "http://127.0.0.1:8787",
      chromiumPath: "/usr/bin/chromium",
    });
  });

  it("defaults to a safe daily cap and real time for the real client", () => {
    const config = readConfig([], { GATEWAY_SECRET: "s" });
    expect(config).toMatchObject({ simulation: undefined, dailyCap: 200 });
  });

  it("refuses a time scale for the real client", () => {
    const env = { GATEWAY_SECRET: "s" };
    expect(() => readConfig(["--time-scale", "0.01"], env)).toThrow(
      /--time-scale works only with --sim/,
    );
    expect(() => readConfig(["--sim-crash", "3:after"], env)).toThrow(/only with --sim/);
  });

  it("reads the simulation's disconnect and crash points", () => {
    const args = ["--sim", "--sim-disconnect", "12:3000", "--sim-crash", "40:before"];
    const config = readConfig(args, { GATEWAY_SECRET: "s" });
    expect(config.simulation).toMatchObject({
      disconnect: { atSend: 12, forMs: 3000 },
      crashInSend: { atSend: 40, when: "before" },
    });
  });

  it("refuses a gateway id the Worker would refuse", () => {
    const env = { GATEWAY_SECRET: "s" };
    expect(() => readConfig(["--gateway-id", "gw 1"], env)).toThrow("--gateway-id");
  });

  it("refuses a daily cap that is not a whole number", () => {
    const env = { GATEWAY_SECRET: "s" };
    expect(() => readConfig(["--daily-cap", "lots"], env)).toThrow("--daily-cap");
    expect(() => readConfig(["--daily-cap", "0"], env)).toThrow("--daily-cap");
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
