/**
 * Signing in and out in headless Chromium, with the mouse and with the keyboard alone, and the pages on a
 * phone-sized screen.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing, launchBrowser, newContext, screenshot, signIn } from "../harness/browser.js";
import { API_TOKEN, startStack, type Stack } from "../harness/stack.js";

let stack: Stack;
let browser: Browser;

/** What has the focus, and whether it is drawn (a visible outline). */
function focused(page: Page): Promise<{ id: string; text: string; outline: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const style = getComputedStyle(el);
    return { id: el.id, text: (el.textContent ?? "").trim(), outline: `${style.outlineStyle} ${style.outlineWidth}` };
  });
}

describe.skipIf(chromiumMissing)("console: signing in", () => {
  beforeAll(async () => {
    stack = await startStack();
    await stack.createBucket("kbd.gbai");
    await stack.put("kbd.gbai", "kbd.gbot/config.csv", "name,value\nBot Name,Keyboard\n");
    await stack.settle();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("a page asked for without a session goes through the sign-in page and back; a wrong token is said so", async () => {
    const page = await (await newContext(browser)).newPage();
    await page.goto(`${stack.service.url}/bots/kbd`);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await screenshot(page, "sign-in");
    await page.getByLabel("API token").fill("not-the-token-at-all-0123");
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(await page.getByRole("alert").textContent()).toContain("That is not the API token");
    expect(await page.getByLabel("API token").getAttribute("aria-invalid")).toBe("true");
    await page.getByLabel("API token").fill(API_TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${stack.service.url}/bots/kbd`);
    const cookies = await page.context().cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([["botsync_session", true, "Strict"]]);
    expect(cookies[0]!.value).not.toContain(API_TOKEN);
    // the session cookie is not readable by scripts
    expect(await page.evaluate(() => document.cookie)).toBe("");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${stack.service.url}/sign-in?signed-out`);
    expect(await page.getByRole("status").textContent()).toBe("You are signed out.");
    await page.goto(`${stack.service.url}/`);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
  });

  it("works with the keyboard alone, with the focus always visible", async () => {
    const page = await (await newContext(browser)).newPage();
    await page.goto(`${stack.service.url}/sign-in`);
    // the token field has the focus from the start
    expect((await focused(page)).id).toBe("token");
    await page.keyboard.type(API_TOKEN);
    await page.keyboard.press("Tab");
    const button = await focused(page);
    expect(button.text).toBe("Sign in");
    expect(button.outline).toBe("solid 3px");
    await page.keyboard.press("Enter");
    await page.waitForURL(`${stack.service.url}/`);

    // first stop on every page: the skip link, shown when focused; it moves the focus to the content
    await page.keyboard.press("Tab");
    expect((await focused(page)).text).toBe("Skip to content");
    const box = await page.getByRole("link", { name: "Skip to content" }).boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    await page.keyboard.press("Enter");
    expect((await focused(page)).id).toBe("main");
    // from the content, the next stop is the first sortable heading, then on to the bot
    await page.keyboard.press("Tab");
    expect((await focused(page)).text).toBe("Bot");
    let stops = 0;
    while ((await focused(page)).text !== "kbd" && stops++ < 20) await page.keyboard.press("Tab");
    expect((await focused(page)).outline).toBe("solid 3px");
    await page.keyboard.press("Enter");
    await page.waitForURL(`${stack.service.url}/bots/kbd`);
  });

  it("fits a phone's screen", async () => {
    const context = await newContext(browser, { phone: true });
    const page = await context.newPage();
    await signIn(page, stack.service.url, "/bots/kbd");
    // nothing but the tables' own scroll boxes may be wider than the screen
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "bot-phone");
    await page.goto(`${stack.service.url}/`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, "bots-phone");
  });
});
