import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayEvent } from "../../domain/events.ts";
import { signedHeaders } from "../../domain/signature.ts";
import type { LocalStack } from "../../scripts/local-stack.ts";
import { startCutProxy, type CutProxy } from "./cut-proxy.ts";
import { startTestStack } from "./test-stack.ts";
import { CHROMIUM_ARGS, CHROMIUM_PATH as CHROMIUM } from "../../scripts/chromium.ts";

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `\n*** SKIPPING the page tests: no Chromium at ${CHROMIUM}. ` +
      "Install it with `apt-get install -y chromium` (.ci/run does). ***\n",
  );
}

// Screenshots land in docs/images only when asked (UPDATE_SCREENSHOTS=1),
// so an ordinary test run leaves the working tree as it was.
const IMAGES = process.env.UPDATE_SCREENSHOTS
  ? resolve(import.meta.dirname, "../../docs/images")
  : mkdtempSync(join(tmpdir(), "ticks-shots-"));

type Ack = "sent" | "delivered" | "read" | "played";

describe.skipIf(!hasChromium)("the campaign page in Chromium", () => {
  let stack: LocalStack;
  let browser: Browser;
  // The page goes through this proxy, so a test can cut its network.
  let proxy: CutProxy;
  let eventCount = 0;

  beforeAll(async () => {
    stack = await startTestStack({ BROADCAST_WINDOW_MS: "100" });
    proxy = await startCutProxy(Number(new URL(stack.url).port));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
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

  async function gateway(path: string, payload: object, gatewayId = "gw-page") {
    // A fresh nonce, as a gateway sends: the Worker refuses repeated bodies.
    const body = JSON.stringify({ ...payload, nonce: `page-${++eventCount}` });
    const headers = await signedHeaders(stack.gatewaySecret, gatewayId, body);
    const res = await fetch(`${stack.url}${path}`, { method: "POST", headers, body });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  }

  function acks(campaignId: string, statuses: Array<[number, Ack]>, at = Date.now()) {
    const events = statuses.map(([recipient, status]) => ({
      id: `page-${++eventCount}`,
      at,
      type: "ack",
      campaignId,
      recipient,
      messageId: `3EB0${recipient}`,
      status,
    }));
    return gateway("/api/gateway/events", { events });
  }

  /** A started campaign of `count` with names that are markup, as text. */
  async function startedCampaign(count = 20, name = "Page <script>test</script>") {
    const recipients = Array.from({ length: count }, (_, i) => ({
      phone: `1555010${String(i).padStart(4, "0")}`,
      name: `<b>P${i}</b>`,
    }));
    const created = await operator("/api/campaigns", { name, message: "Hi {{name}}", recipients });
    await operator(`/api/campaigns/${created.id}/start`, {});
    const link = new URL(created.link);
    return { id: created.id as string, link: `${proxy.url}${link.pathname}${link.search}` };
  }

  const card = (page: Page, kind: string) => page.locator(`.count-${kind} .number`);
  const rowNames = (page: Page) => page.locator(".table-body .row .cell-name").allInnerTexts();

  it("should paint real numbers within a second and move them live", async () => {
    const { id, link } = await startedCampaign();
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    await page.goto(link);
    await page.waitForFunction(
      () => document.querySelector(".count-pending .number")?.textContent === "20",
      undefined,
      { polling: "raf" },
    );
    const firstPaintMs = await page.evaluate(() => performance.now());
    console.info(`first paint with real numbers: ${Math.round(firstPaintMs)} ms`);
    expect(firstPaintMs).toBeLessThan(1_000);
    await expect.poll(() => page.locator(".live").innerText()).toContain("Live");
    // The campaign name is shown as text, never as markup.
    expect(await page.locator("h1").innerText()).toContain("<script>");

    await acks(id, [
      [0, "read"],
      [1, "read"],
      [2, "delivered"],
      [3, "delivered"],
      [4, "delivered"],
    ]);
    await expect.poll(() => card(page, "delivered").innerText(), { timeout: 5_000 }).toBe("5");
    expect(await card(page, "read").innerText()).toBe("2");
    expect(await card(page, "pending").innerText()).toBe("15");
    await page.close();
  });

  it("should filter, search and update the table's rows in place", async () => {
    const { id, link } = await startedCampaign();
    await acks(id, [
      [0, "read"],
      [1, "read"],
      [2, "delivered"],
    ]);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(link);
    await expect.poll(() => rowNames(page)).toHaveLength(20);
    // Markup in a name stays text; a viewer sees the phone masked.
    const first = page.locator(".table-body .row").first();
    expect(await first.locator(".cell-name").innerText()).toBe("<b>P0</b>");
    expect(await first.locator(".cell-phone").innerText()).toBe("+1 555 ••• 0000");

    await page.selectOption(".filters select >> nth=0", { label: "Read" });
    await expect.poll(() => rowNames(page)).toEqual(["<b>P0</b>", "<b>P1</b>"]);

    await page.selectOption(".filters select >> nth=0", { label: "All statuses" });
    await page.fill(".filters input[type=search]", "p1");
    await expect
      .poll(() => rowNames(page))
      .toEqual(["<b>P1</b>", ...Array.from({ length: 10 }, (_, i) => `<b>P1${i}</b>`)]);
    await page.fill(".filters input[type=search]", "0017");
    await expect.poll(() => rowNames(page)).toEqual(["<b>P17</b>"]);

    // The row in view changes status without a reload.
    await acks(id, [[17, "read"]]);
    await expect
      .poll(() => first.locator(".cell-status").innerText(), { timeout: 5_000 })
      .toContain("Read");
    await page.close();
  });

  it("should export the filtered view as CSV", async () => {
    const { id, link } = await startedCampaign();
    await acks(id, [
      [3, "read"],
      [4, "delivered"],
      [5, "read"],
    ]);
    const page = await browser.newPage();
    await page.goto(link);
    await page.selectOption(".filters select >> nth=0", { label: "Read" });
    await expect.poll(() => rowNames(page)).toHaveLength(2);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("text=Export CSV"),
    ]);
    const csv = readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, "");
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "index,phone,name,status,pending_at,sent_at,delivered_at,read_at,played_at," +
        "failed_at,failure_reason,failure_detail",
    );
    expect(lines.slice(1).map((line) => line.split(",").slice(0, 4))).toEqual([
      ["3", "'+1 555 ••• 0003", "<b>P3</b>", "read"],
      ["5", "'+1 555 ••• 0005", "<b>P5</b>", "read"],
    ]);
    expect(lines[1]!.split(",")[7]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await page.close();
  });

  it("should reconnect after the network drops and show the exact counts", async () => {
    const { id, link } = await startedCampaign();
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    await page.goto(link);
    await expect.poll(() => page.locator(".live").innerText()).toContain("Live");

    proxy.cut();
    try {
      await expect
        .poll(() => page.locator(".live").innerText(), { timeout: 5_000 })
        .toMatch(/Reconnecting\s*·\s*(next try in \d+\s?s|trying now)/);
      // Events while the page is away: only a fresh snapshot can show them.
      await acks(id, [
        [0, "read"],
        [1, "delivered"],
        [2, "sent"],
      ]);
      await acks(id, [[3, "played"]]);
    } finally {
      proxy.restore();
    }

    await expect
      .poll(() => page.locator(".live").innerText(), { timeout: 10_000 })
      .toContain("Live");
    const { counts } = await operator(`/api/campaigns/${id}`);
    await expect.poll(() => card(page, "sent").innerText()).toBe(String(counts.sent));
    expect(counts).toMatchObject({ sent: 4, delivered: 3, read: 2, played: 1, pending: 16 });
    expect(await card(page, "delivered").innerText()).toBe("3");
    expect(await card(page, "read").innerText()).toBe("2");
    expect(await card(page, "played").innerText()).toBe("1");
    expect(await card(page, "pending").innerText()).toBe("16");
    await page.close();
  });

  it("should render a campaign in full at 360 px and on a desktop", async () => {
    const { id, link } = await startedCampaign(40, "Winter sale · Lisbon stores");
    // Claims serve older campaigns first; this gateway shows on the page
    // once it holds a message of this one.
    for (let i = 0; i < 6; i++) {
      const { messages } = await gateway("/api/gateway/claim", { limit: 50 });
      if (messages.some((m: { campaignId: string }) => m.campaignId === id)) break;
    }
    await gateway("/api/gateway/events", {
      events: [{ id: `page-${++eventCount}`, at: Date.now(), type: "session", state: "ready" }],
    });
    const at = Date.now() - 60_000;
    const sends = Array.from({ length: 30 }, (_, i) => ({
      id: `page-${++eventCount}`,
      at: at + i * 1_000,
      type: "send_started",
      campaignId: id,
      recipient: i,
    }));
    const failures = [
      [30, "not_on_whatsapp"],
      [31, "not_on_whatsapp"],
      [32, "rate_limited"],
    ].map(([recipient, reason]) => ({
      id: `page-${++eventCount}`,
      at,
      type: "send_failed",
      campaignId: id,
      recipient,
      reason,
      detail: "WhatsApp refused the message",
    }));
    await gateway("/api/gateway/events", { events: [...sends, ...failures] });
    const stages: Ack[] = ["read", "read", "delivered", "read", "delivered", "sent", "played"];
    await acks(
      id,
      Array.from({ length: 30 }, (_, i) => [i, stages[i % stages.length]!]),
    );

    for (const [width, height, file] of [
      [360, 800, "campaign-page-360.png"],
      [1280, 900, "campaign-page-desktop.png"],
    ] as const) {
      const page = await browser.newPage({ viewport: { width, height } });
      await page.goto(link);
      await page.locator(".timeline-plot canvas").waitFor();
      await expect.poll(() => rowNames(page)).not.toHaveLength(0);
      await expect.poll(() => page.locator(".failures li").count()).toBe(2);
      // Nothing may stick out sideways on a narrow phone.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBe(0);
      await page.screenshot({ path: resolve(IMAGES, file), fullPage: true });
      await page.close();
    }
  });

  it("should say so when the link is not valid", async () => {
    const page = await browser.newPage();
    await page.goto(`${proxy.url}/c/c_0000000000000000?t=bad.token`);
    await expect
      .poll(() => page.locator("body").innerText(), { timeout: 5_000 })
      .toMatch(/not valid/i);
    await page.close();
  });
});
