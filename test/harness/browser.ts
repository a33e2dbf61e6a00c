/**
 * Headless Chromium for the console's browser tests: Debian's `chromium` package driven by playwright-core
 * (no browser download exists here). When /usr/bin/chromium is missing the tests skip and say so; .ci/run
 * installs it.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { API_TOKEN } from "./stack.js";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const chromiumMissing = !existsSync(CHROMIUM_PATH);
if (chromiumMissing) console.warn(`browser tests skipped: ${CHROMIUM_PATH} is missing (apt-get install chromium; .ci/run installs it)`);

/** Screenshots land here as test artifacts (ignored by git). */
export const RESULTS_DIR = fileURLToPath(new URL("../../test-results/", import.meta.url));

/** A fresh browser (Playwright gives each launch its own throw-away profile directory). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    chromiumSandbox: false,
    args: [
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A new browser context (its own cookies) at a desktop size, or a phone's with `phone`. A step that cannot
 * happen fails in 10 s with what it waited for, well inside the test's own timeout.
 */
export async function newContext(browser: Browser, options: { phone?: boolean; width?: number } = {}): Promise<BrowserContext> {
  const context = await browser.newContext(
    options.phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { viewport: { width: options.width ?? 1200, height: 900 } },
  );
  context.setDefaultTimeout(10_000);
  return context;
}

/** Signs in through the form as a person would, and lands on `next` (default: the Bots page). */
export async function signIn(page: Page, baseUrl: string, next = "/"): Promise<void> {
  await page.goto(`${baseUrl}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel("API token").fill(API_TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${baseUrl}${next}`);
}

/** Saves a full-page screenshot as test-results/{name}.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
