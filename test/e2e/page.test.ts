import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayEvent } from "../../domain/events.ts";
import { signedHeaders } from "../../domain/signature.ts";
import type { LocalStack } from "../../scripts/local-stack.ts";
import { startTestStack } from "./test-stack.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `\n*** SKIPPING the page tests: no Chromium at ${CHROMIUM}. ` +
      "Install it with `apt-get install -y chromium` (.ci/run does). ***\n",
  );
}

const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

describe.skipIf(!hasChromium)("the campaign page in Chromium", () => {
  let stack: LocalStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startTestStack({ BROADCAST_WINDOW_MS: "100" });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function operator(path: string, body?: unknown) {
    const res = await fetch(`${stack.url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { Authorization: `Bearer ${stack.operatorToken}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  }

  async function postEvents(events: GatewayEvent[]) {
    const body = JSON.stringify({ events });
    const headers = await signedHeaders(stack.gatewaySecret, "gw-page", body);
    const res = await fetch(`${stack.url}/api/gateway/events`, { method: "POST", headers, body });
    if (!res.ok) throw new Error(`events: ${res.status} ${await res.text()}`);
  }

  it("should show live counts that move without a reload", async () => {
    const recipients = Array.from({ length: 20 }, (_, i) => ({
      phone: `1555010${String(i).padStart(4, "0")}`,
      name: `<b>P${i}</b>`,
    }));
    const { id, link } = await operator("/api/campaigns", {
      name: "Page <script>test</script>",
      message: "Hi {{name}}",
      recipients,
    });
    await operator(`/api/campaigns/${id}/start`, {});
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    await page.goto(link);
    const card = (kind: string) => page.locator(`.count-${kind} dd`).first();
    await expect.poll(() => card("pending").innerText()).toContain("20");
    await expect.poll(() => page.locator(".live").innerText()).toContain("Live");
    // The campaign name is shown as text, never as markup.
    expect(await page.locator("h1").innerText()).toContain("<script>");

    const at = Date.now();
    await postEvents(
      Array.from({ length: 5 }, (_, i) => ({
        id: `page-${i}`, at, type: "ack", campaignId: id, recipient: i,
        messageId: `3EB0${i}`, status: i < 2 ? "read" : "delivered",
      }) as GatewayEvent),
    );
    await expect.poll(() => card("delivered").innerText(), { timeout: 5_000 }).toContain("5");
    await expect.poll(() => card("read").innerText()).toContain("2");
    await expect.poll(() => card("pending").innerText()).toContain("15");
    await page.close();
  });

  it("should say so when the link is not valid", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.url}/c/c_0000000000000000?t=bad.token`);
    await expect.poll(() => page.locator("body").innerText(), { timeout: 5_000 })
      .toMatch(/not valid/i);
    await page.close();
  });
});
