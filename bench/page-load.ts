import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import type { Bench, PageBuild } from "./context.ts";
import { log } from "./report.ts";
import { median, round } from "./stats.ts";
import { CHROMIUM_ARGS, CHROMIUM_PATH as CHROMIUM } from "../scripts/chromium.ts";

const ROOT = resolve(import.meta.dirname, "..");
// An odd total, so its text on the page can only come from the snapshot.
const TOTAL = 4_321;
const LOAD_TIMEOUT_MS = 30_000;

/**
 * Builds the page into a folder of its own: dist/ may be served by
 * another `wrangler dev` on this machine, and vite empties its outDir.
 */
export function buildPage(): PageBuild {
  const dir = mkdtempSync(join(tmpdir(), "ticks-bench-page-"));
  log("building the page");
  const vite = resolve(ROOT, "node_modules", ".bin", "vite");
  const args = ["build", "--outDir", dir, "--emptyOutDir", "--logLevel", "warn"];
  const result = spawnSync(vite, args, { cwd: ROOT, encoding: "utf8" });
  if (result.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`vite build failed (${result.status}):\n${result.stderr}`);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The scripts index.html loads at once: its module entry and preloads. */
function initialScripts(dir: string): string[] {
  const html = readFileSync(join(dir, "index.html"), "utf8");
  const entries = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)];
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)];
  return [...entries, ...preloads].map((m) => join(dir, m[1]!.replace(/^\//, "")));
}

function gzipKiB(files: string[]): number {
  const bytes = files.reduce(
    (sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length,
    0,
  );
  return bytes / 1024;
}

/**
 * Figure 6: the initial JavaScript, gzipped, and the time from navigation
 * start to the page showing the campaign's total (text anywhere in the
 * body equal to the total as the browser formats it), each in a fresh
 * browser context so nothing is cached.
 */
export const pageBench: Bench = {
  name: "page",
  async run(ctx) {
    if (!ctx.pageBuild) throw new Error("the page bench needs a build (run.ts makes one)");
    const scripts = initialScripts(ctx.pageBuild.dir);
    const css = readCss(ctx.pageBuild.dir);
    ctx.report.add({
      name: "page.initial_js_gzip_kib",
      value: round(gzipKiB(scripts), 1),
      unit: "KiB",
      params: { files: scripts.length, gzipLevel: 9, cssGzipKiB: round(gzipKiB(css), 1) },
    });
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}`);
    const { link } = await ctx.client.createCampaign("bench page", TOTAL);
    const runs = ctx.quick ? 3 : 7;
    const times = await timeToNumbers(link, runs);
    ctx.report.add({
      name: "page.first_numbers_ms",
      value: round(median(times), 0),
      unit: "ms",
      params: { runs: times.map((t) => round(t, 0)), total: TOTAL, cache: "cold" },
    });
  },
};

function readCss(dir: string): string[] {
  const html = readFileSync(join(dir, "index.html"), "utf8");
  return [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) =>
    join(dir, m[1]!.replace(/^\//, "")),
  );
}

async function timeToNumbers(link: string, runs: number): Promise<number[]> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(link, { waitUntil: "commit", timeout: LOAD_TIMEOUT_MS });
      const shown = await page.waitForFunction(
        (total) => {
          const text = new Intl.NumberFormat(undefined).format(total);
          return document.body?.innerText.includes(text) ? performance.now() : false;
        },
        TOTAL,
        { polling: "raf", timeout: LOAD_TIMEOUT_MS },
      );
      times.push((await shown.jsonValue()) as number);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return times;
}
