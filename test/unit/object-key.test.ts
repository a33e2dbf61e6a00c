import { describe, expect, it } from "vitest";
import { botNameFromBucket, isBotName } from "../../src/core/paths/bot-name.js";
import { validateObjectKey } from "../../src/core/paths/object-key.js";
import { productionKinds } from "../harness/kinds.js";

const kinds = productionKinds();

/** The kind a key is, by name; "other" for a safe key no kind claims. */
function classifyObject(bot: string, key: string) {
  const r = kinds.classify(bot, key);
  return r.ok ? { ok: true as const, kind: r.kind?.name ?? "other", key: r.key } : r;
}

describe("botNameFromBucket", () => {
  it.each([
    ["demo.gbai", "demo"],
    ["salesianos.gbai", "salesianos"],
    ["a.gbai", "a"],
    ["bot-2026.gbai", "bot-2026"],
    ["my--bot.gbai", "my--bot"],
    ["0.gbai", "0"],
    [`${"a".repeat(58)}.gbai`, "a".repeat(58)],
  ])("%s → %s", (bucket, bot) => {
    expect(botNameFromBucket(bucket)).toEqual({ ok: true, bot });
  });

  it.each([
    ["gbo", "no .gbai suffix"],
    ["demo.gbai.bak", "no .gbai suffix"],
    ["demo.GBAI", "no .gbai suffix"],
    [".gbai", "empty"],
    ["Demo.gbai", "lower-case"],
    ["-demo.gbai", "lower-case"],
    ["demo-.gbai", "lower-case"],
    ["de.mo.gbai", "lower-case"],
    ["de_mo.gbai", "lower-case"],
    [`${"a".repeat(59)}.gbai`, "longer than 58"],
  ])("rejects %s", (bucket, reason) => {
    const r = botNameFromBucket(bucket);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it("isBotName", () => {
    expect(isBotName("demo")).toBe(true);
    expect(isBotName("my-bot-2")).toBe(true);
    expect(isBotName("")).toBe(false);
    expect(isBotName("demo.gbai")).toBe(false);
    expect(isBotName("../etc")).toBe(false);
    expect(isBotName("Demo")).toBe(false);
    expect(isBotName("a".repeat(59))).toBe(false);
  });
});

describe("object kinds: which kind a key of bot demo is", () => {
  it.each([
    ["demo.gbot/config.csv", "config"],
    ["demo.gbdialog/start.bas", "dialog"],
    ["demo.gbdialog/sub/x.BAS", "dialog"],
    ["demo.gbdialog/a/b/c/tool.Bas", "dialog"],
    ["demo.gbkb/manuals/2026/guia do usuário+v2.pdf", "kb"],
    ["demo.gbkb/faq/perguntas.md", "kb"],
    ["demo.gbkb/loose.pdf", "kb"],
    // other: prompts under .gbot/ are the botserver's; no botsync job handles them
    ["demo.gbot/PROMPT.md", "other"],
    ["demo.gbot/prompt.txt", "other"],
    ["demo.gbot/Config.csv", "other"],
    ["demo.gbot/config.csv.bak", "other"],
    ["demo.gbot/sub/config.csv", "other"],
    ["demo.gbot/sub/prompt.md", "other"],
    ["demo.gbot/logo.png", "other"],
    ["demo.gbot/.md", "other"],
    ["demo.gbdialog/readme.md", "other"],
    ["demo.gbdialog/.bas", "other"],
    ["demo.gbdrive/start.bas", "other"],
    ["start.bas", "other"],
    ["demo.gbkbx/a.pdf", "other"],
    ["other.gbot/config.csv", "other"],
    ["other.gbdialog/start.bas", "other"],
    ["other.gbkb/faq/a.pdf", "other"],
    ["demo2.gbot/config.csv", "other"],
    ["demo.gbtheme/style.css", "other"],
  ])("%s → %s", (key, kind) => {
    expect(classifyObject("demo", key)).toEqual({ ok: true, kind, key });
  });

  it("the bot name is matched exactly, not as a prefix", () => {
    expect(classifyObject("de", "demo.gbot/config.csv")).toEqual({ ok: true, kind: "other", key: "demo.gbot/config.csv" });
    expect(classifyObject("my-bot", "my-bot.gbot/config.csv")).toEqual({ ok: true, kind: "config", key: "my-bot.gbot/config.csv" });
  });

  it.each([
    ["", "empty key"],
    ["..", "'..' path segment"],
    ["demo.gbkb/../demo.gbot/config.csv", "'..' path segment"],
    ["./x", "'.' path segment"],
    ["demo.gbdialog/./start.bas", "'.' path segment"],
    ["/abs", "starts with '/'"],
    ["/demo.gbot/config.csv", "starts with '/'"],
    ["a\\b", "backslash"],
    ["demo.gbdialog\\start.bas", "backslash"],
    ["a\u0000b", "control character"],
    ["demo.gbot/config.csv\n", "control character"],
    ["tab\there", "control character"],
    ["del\u007f", "control character"],
    ["a//b", "empty path segment"],
    ["demo.gbkb//x.pdf", "empty path segment"],
    ["demo.gbkb/manuals/", "directory marker"],
    ["demo.gbdialog/", "directory marker"],
    ["a\ud800b", "not valid Unicode"],
    ["x".repeat(1025), "longer than 1024 bytes"],
    ["ü".repeat(513), "longer than 1024 bytes"],
  ])("rejects hostile key %j", (key, reason) => {
    const r = classifyObject("demo", key);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
    expect(validateObjectKey(key)).toContain(reason);
  });

  it("directory markers have the exact reason", () => {
    expect(classifyObject("demo", "demo.gbkb/manuals/")).toEqual({ ok: false, reason: "directory marker" });
  });

  it("accepts keys at the byte limit and unusual but safe characters", () => {
    expect(validateObjectKey("x".repeat(1024))).toBeNull();
    expect(validateObjectKey("ü".repeat(512))).toBeNull();
    expect(validateObjectKey("🤖".repeat(256))).toBeNull(); // 4 bytes each = 1024
    expect(validateObjectKey("🤖".repeat(257))).toContain("longer than 1024 bytes");
    expect(validateObjectKey("demo.gbkb/a b+c/ü (1)...pdf")).toBeNull();
    expect(validateObjectKey("demo.gbkb/.hidden")).toBeNull();
    expect(validateObjectKey("demo.gbkb/...")).toBeNull();
  });
});
