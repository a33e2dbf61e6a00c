/**
 * The Bots and Bot pages in headless Chromium against a whole service (real PostgreSQL, an S3 server whose
 * notifications the test can hold or drop): a bot going from pending to synced after an upload, a BASIC
 * error shown on its line, a knowledge-base search, and "Sync now" healing a lost notification.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing, launchBrowser, newContext, screenshot, signIn } from "../harness/browser.js";
import { startStack, type Stack } from "../harness/stack.js";

const BUCKET = "shop.gbai";
let stack: Stack;
let browser: Browser;
let page: Page;

describe.skipIf(chromiumMissing)("console: Bots and Bot pages", () => {
  beforeAll(async () => {
    stack = await startStack();
    await stack.createBucket(BUCKET);
    browser = await launchBrowser();
    page = await (await newContext(browser)).newPage();
    await signIn(page, stack.service.url);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** the State badge of an object on the Bot page */
  const objectState = (key: string) => page.locator(`tr[data-key="${key}"] .badge`).first();

  it("shows a bot pending while its job waits, then synced", async () => {
    const lanes = stack.service.botsync.lanes;
    stack.notifications.mode = "hold";
    await stack.put(BUCKET, "shop.gbot/config.csv", "name,value\nBot Name,Shop Bot\nllm-temperature,0.4\nsmtp-password,hunter2-very-secret\n");
    // Nothing notified yet: the bot is not known. Now the notification arrives, but no worker runs.
    await lanes.stop();
    stack.notifications.mode = "deliver";
    await stack.releaseHeld();

    await page.goto(`${stack.service.url}/`);
    const row = page.locator('tr[data-bot="shop"]');
    await expect.poll(() => row.locator(".badge").textContent()).toBe("1 pending");
    expect(await row.getAttribute("class")).toBeNull(); // pending is on its way: no alarm
    await screenshot(page, "bots-pending");

    await page.getByRole("link", { name: "shop", exact: true }).click();
    await page.waitForURL(`${stack.service.url}/bots/shop`);
    expect(await objectState("shop.gbot/config.csv").textContent()).toBe("pending");
    expect(await page.locator('tr[data-key="shop.gbot/config.csv"]').textContent()).toContain("not applied");
    await screenshot(page, "bot-pending");

    lanes.start();
    await stack.settle();
    await page.reload();
    expect(await objectState("shop.gbot/config.csv").textContent()).toBe("synced");
    expect(await page.locator("h1 .badge").textContent()).toBe("in sync");
    expect(await page.locator('tr[data-config-key="Bot Name"] td').nth(1).textContent()).toBe("Shop Bot");
    // the secret is masked and its value never reaches the page
    expect(await page.locator('tr[data-config-key="smtp-password"] td').nth(1).textContent()).toMatch(/^\*{8} (sealed|secret)$/);
    expect(await page.content()).not.toContain("hunter2-very-secret");
  });

  it("shows a BASIC error highlighted on its line, with the reason", async () => {
    await stack.put(BUCKET, "shop.gbdialog/order.bas", 'TALK "Welcome"\nHEAR item\nTALK "You asked for " + \nTALK "Bye"\n');
    await stack.settle();
    await page.goto(`${stack.service.url}/bots/shop`);
    const dialog = page.locator('details[data-dialog="shop.gbdialog/order.bas"]');
    expect(await dialog.getAttribute("open")).not.toBeNull(); // a failed dialog opens by itself
    const flagged = dialog.locator("ol.source li.error");
    expect(await flagged.count()).toBe(1);
    expect(await flagged.locator(".ln").textContent()).toBe("3");
    expect(await flagged.locator("mark.error").count()).toBeGreaterThan(0);
    expect(await flagged.locator(".why").textContent()).toMatch(/^error at line 3:\d+ expected-expression: /);
    // the diagnostic list links to the line
    await dialog.getByRole("link", { name: /^line 3:\d+$/ }).click();
    expect(page.url()).toMatch(/#dialog-\d+-L3$/);
    expect(await page.locator('tr[data-key="shop.gbdialog/order.bas"]').getAttribute("class")).toBe("attention");
    await screenshot(page, "bot-basic-error");
  });

  it("searches the knowledge base", async () => {
    await stack.put(BUCKET, "shop.gbkb/policies/returns.md", "# Returns\n\nWombat plushies may be returned within 30 days of delivery.\n");
    await stack.put(BUCKET, "shop.gbkb/policies/shipping.md", "# Shipping\n\nParcels leave the warehouse every Tuesday.\n");
    await stack.settle();
    await page.goto(`${stack.service.url}/bots/shop`);
    expect(await page.locator('tr[data-kb="policies"] td').first().textContent()).toBe("2");
    await page.getByLabel("Query").fill("wombat returned");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/bots\/shop\?q=wombat\+returned/);
    const results = page.locator("#search-results");
    expect(await results.getByRole("status").textContent()).toMatch(/^1 result for “wombat returned” \(full-text search\)\.$/);
    expect(await results.locator("li").first().textContent()).toContain("within 30 days");
    expect(await results.locator("li").first().textContent()).toContain("shop.gbai/shop.gbkb/policies/returns.md");
  });

  it("'Sync now' picks up a change whose notification was lost", async () => {
    await stack.put(BUCKET, "shop.gbot/config.csv", "name,value\nBot Name,Shop Bot One\n");
    await stack.settle();
    stack.notifications.mode = "drop";
    await stack.put(BUCKET, "shop.gbot/config.csv", "name,value\nBot Name,Shop Bot Two\n");
    stack.notifications.mode = "deliver";
    await page.goto(`${stack.service.url}/bots/shop`);
    // the bucket changed, the database does not know: drift says so
    expect(await page.locator("#drift ~ div table").textContent()).toContain("etag-differs");
    await page.getByRole("button", { name: "Sync now" }).click();
    await page.waitForURL(`${stack.service.url}/bots/shop?synced=1`);
    expect(await page.getByRole("status").first().textContent()).toContain("Sync finished: 1 object queued.");
    await stack.settle();
    await page.reload();
    expect(await page.locator('tr[data-config-key="Bot Name"] td').nth(1).textContent()).toBe("Shop Bot Two");
    await screenshot(page, "bot");
  });
});
