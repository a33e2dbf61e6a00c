/**
 * The Validate page in headless Chromium: a pasted script's errors shown on their lines, and a chosen
 * config.csv read into the page by its script, validated with its secret masked.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing, launchBrowser, newContext, screenshot, signIn } from "../harness/browser.js";
import { startStack, type Stack } from "../harness/stack.js";

let stack: Stack;
let browser: Browser;
let page: Page;

describe.skipIf(chromiumMissing)("console: Validate page", () => {
  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    page = await (await newContext(browser)).newPage();
    await signIn(page, stack.service.url, "/validate");
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("shows a pasted script's errors on their lines", async () => {
    await page.getByLabel("Text", { exact: true }).fill('TALK "Hello"\nIF answer = "yes" THEN\n  TALK "Great"\nFOO BAR\n');
    await page.getByRole("button", { name: "Validate" }).click();
    await page.waitForURL(`${stack.service.url}/validate`);
    expect(await page.locator("#result .badge").textContent()).toBe("2 errors");
    const flagged = page.locator("ol.source li.error");
    expect(await flagged.locator(".ln").allTextContents()).toEqual(["2", "4"]);
    expect(await flagged.nth(0).locator("mark.error").textContent()).toBe("IF");
    expect(await flagged.nth(0).locator(".why").textContent()).toContain("missing-end");
    expect(await flagged.nth(1).locator("mark.error").textContent()).toBe("FOO");
    expect(await flagged.nth(1).locator(".why").textContent()).toContain("unknown-statement");
    // the text is still there to fix
    expect(await page.getByLabel("Text", { exact: true }).inputValue()).toBe('TALK "Hello"\nIF answer = "yes" THEN\n  TALK "Great"\nFOO BAR\n');
    await screenshot(page, "validate");
  });

  it("reads a chosen config.csv into the page and validates it, secrets masked", async () => {
    await page.goto(`${stack.service.url}/validate`);
    await page.getByLabel("Or choose a file").setInputFiles({
      name: "config.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("name,value\nBot Name,Checked\nsmtp-password,s3cr3t-value\nllm-temperature,0.3\n"),
    });
    await expect.poll(() => page.getByLabel("Text", { exact: true }).inputValue()).toContain("Bot Name,Checked");
    expect(await page.getByLabel("Kind").inputValue()).toBe("config");
    expect(await page.locator("#file-note").textContent()).toBe("Loaded config.csv into the text box.");
    await page.getByRole("button", { name: "Validate" }).click();
    await page.waitForURL(`${stack.service.url}/validate`);
    expect(await page.locator("#result .badge").textContent()).toBe("valid");
    const rows = await page.locator("#validation tbody tr").allTextContents();
    expect(rows).toEqual(["2Bot NameCheckedstring", "3smtp-password******** sealedstring", "4llm-temperature0.3number"]);
  });
});
