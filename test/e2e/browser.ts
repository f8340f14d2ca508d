/**
 * Headless Chromium for the browser tests and the report bench: Debian's `/usr/bin/chromium`
 * driven by playwright-core, in a fresh profile, with everything that would reach the network on
 * its own turned off. Each page records its console errors, page errors and every request.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** A running browser (one fresh profile) and how to end it. */
export interface Browser {
  context: BrowserContext;
  /** A new page that records what goes wrong and what it requests. */
  page(): Promise<WatchedPage>;
  close(): Promise<void>;
}

/** A page with what it logged as errors and every URL it requested. */
export interface WatchedPage {
  page: Page;
  errors: string[];
  requests: string[];
}

/**
 * Launches headless Chromium with a fresh user-data-dir (removed by `close`).
 *
 * @example
 * ```ts
 * const browser = await launchBrowser();
 * const { page, errors, requests } = await browser.page();
 * await page.goto(pathToFileURL("report.html").href);
 * await browser.close();
 * ```
 */
export async function launchBrowser(viewport = { width: 1440, height: 900 }): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), "dagship-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport });
  return {
    context,
    async page() {
      const page = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(`console: ${m.text()}`);
      });
      page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
      page.on("request", (r) => requests.push(r.url()));
      return { page, errors, requests };
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
