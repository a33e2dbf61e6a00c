/**
 * What a newcomer sees: the demo bot of examples/ uploaded the way `npm start` seeds it, then its page in
 * headless Chromium — synced, with its dialog, config and knowledge base. The picture of that page is the
 * README's: `UPDATE_DOCS_SCREENSHOT=1 npx vitest run test/browser/console-demo.test.ts` rewrites
 * docs/console-bot.png; every run saves it under test-results/.
 */
import { copyFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedExamples } from "../../functions/seed-demo.js";
import { chromiumMissing, launchBrowser, newContext, screenshot, signIn } from "../harness/browser.js";
import { startStack, type Stack } from "../harness/stack.js";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));
const DOCS_SCREENSHOT = fileURLToPath(new URL("../../docs/console-bot.png", import.meta.url));

let stack: Stack;
let browser: Browser;

describe.skipIf(chromiumMissing)("console: the demo bot", () => {
  beforeAll(async () => {
    stack = await startStack();
    const seeded = await seedExamples(EXAMPLES, {
      endpoint: stack.s3.endpoint,
      region: "us-east-1",
      accessKeyId: stack.s3.accessKeyId,
      secretAccessKey: stack.s3.secretAccessKey,
    });
    expect(seeded).toEqual(["demo.gbai"]);
    await stack.settle();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("shows the demo bot synced, with its dialog, config and knowledge base", async () => {
    const page = await (await newContext(browser, { width: 1100 })).newPage();
    await signIn(page, stack.service.url);
    expect(await page.locator('tr[data-bot="demo"] .badge').textContent()).toBe("in sync");
    await page.getByRole("link", { name: "demo", exact: true }).click();
    const dialog = page.locator('details[data-dialog="demo.gbdialog/start.bas"]');
    // a dialog without diagnostics starts folded, its source one link away
    expect(await dialog.getAttribute("open")).toBeNull();
    await dialog.locator("summary").click();
    await dialog.getByRole("link", { name: "Show the source" }).click();
    await page.waitForURL(/\/bots\/demo\?source=demo\.gbdialog%2Fstart\.bas#dialog-1$/);

    expect(await page.locator("h1 .badge").textContent()).toBe("in sync");
    expect(await page.locator('tr[data-config-key="Bot Name"] td').nth(1).textContent()).toBe("Demo Bot");
    expect(await dialog.getAttribute("open")).not.toBeNull();
    expect(await dialog.locator("dd").first().textContent()).toMatch(/^start \(active\), compiled /);
    expect(await dialog.locator("ol.source li").first().textContent()).toContain("REM Demo dialog");
    expect(await page.locator('tr[data-kb="faq"] td').allTextContents()).toEqual(["1", "1", "0", expect.stringMatching(/^[1-9]\d*$/)]);

    const path = await screenshot(page, "demo-bot");
    if (process.env.UPDATE_DOCS_SCREENSHOT === "1") copyFileSync(path, DOCS_SCREENSHOT);
  });
});
