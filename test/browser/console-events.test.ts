/**
 * The Events page in headless Chromium: a notification arriving while the page is open shows up without a
 * reload, over Server-Sent Events, and its row changes when its job finishes.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing, launchBrowser, newContext, screenshot, signIn } from "../harness/browser.js";
import { startStack, type Stack } from "../harness/stack.js";

const BUCKET = "live.gbai";
let stack: Stack;
let browser: Browser;
let page: Page;

describe.skipIf(chromiumMissing)("console: Events page", () => {
  beforeAll(async () => {
    stack = await startStack();
    await stack.createBucket(BUCKET);
    browser = await launchBrowser();
    page = await (await newContext(browser)).newPage();
    await signIn(page, stack.service.url, "/events");
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("shows an event arriving live over Server-Sent Events, then what became of it", async () => {
    expect(await page.locator("#event-rows").getAttribute("data-live")).toBe("sse");
    await page.locator('#live-status[data-state="open"]').waitFor();
    expect(await page.locator("#event-rows tr.empty").count()).toBe(1);
    // Anything that reloads the page loses this mark.
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

    // Held back first, so the row is seen pending before its job runs.
    await stack.service.botsync.lanes.stop();
    await stack.put(BUCKET, "live.gbot/config.csv", "name,value\nBot Name,Live Bot\n");
    const row = page.locator("#event-rows tr", { hasText: "live.gbai/live.gbot/config.csv" });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator("td").nth(4).textContent()).toBe("pending");
    expect(await page.locator("#live-news").textContent()).toBe("1 new event");
    expect(await page.locator("#event-rows tr.empty").count()).toBe(0);

    stack.service.botsync.lanes.start();
    await expect.poll(() => row.locator("td").nth(4).textContent(), { timeout: 10_000 }).toBe("processed");
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await screenshot(page, "events");
  });

  it("a second notification is added on top, and only for the bot the page shows", async () => {
    await stack.put(BUCKET, "live.gbot/config.csv", "name,value\nBot Name,Live Bot\n");
    await stack.settle();
    await stack.createBucket("other.gbai");
    await page.goto(`${stack.service.url}/events?bot=live`);
    await page.locator('#live-status[data-state="open"]').waitFor();
    await stack.put("other.gbai", "other.gbot/config.csv", "name,value\nBot Name,Other\n");
    await stack.put(BUCKET, "live.gbdialog/hello.bas", 'TALK "hello"\n');
    const hello = page.locator("#event-rows tr", { hasText: "live.gbdialog/hello.bas" });
    await hello.waitFor({ timeout: 10_000 });
    expect(await page.locator("#event-rows tr").first().getAttribute("id")).toBe(await hello.getAttribute("id"));
    // Once every notification is recorded, one more of this bot's shows that the stream has polled since:
    // the other bot's event would have been sent by then.
    await stack.settle();
    await stack.put(BUCKET, "live.gbdialog/bye.bas", 'TALK "bye"\n');
    await page.locator("#event-rows tr", { hasText: "live.gbdialog/bye.bas" }).waitFor({ timeout: 10_000 });
    expect(await page.locator("#event-rows").textContent()).not.toContain("other.gbai");
  });
});
