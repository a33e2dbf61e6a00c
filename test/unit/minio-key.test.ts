import { describe, expect, it } from "vitest";
import { BotsyncError } from "../../src/core/errors.js";
import { decodeMinioKey, encodeMinioKey } from "../../src/core/events/minio-key.js";

describe("decodeMinioKey (Go url.QueryUnescape)", () => {
  it.each([
    ["in%2Fa+b%2Bc%2F%C3%BC.csv", "in/a b+c/ü.csv"],
    ["demo.gbot%2Fconfig.csv", "demo.gbot/config.csv"],
    ["demo.gbkb%2Fmanuals%2F2026%2Fguia+do+usu%C3%A1rio%2Bv2.pdf", "demo.gbkb/manuals/2026/guia do usuário+v2.pdf"],
    ["incoming%2F2026-03-01%2Forders+file.csv", "incoming/2026-03-01/orders file.csv"],
    ["demo.gbot/config.csv", "demo.gbot/config.csv"], // AWS style: "/" not escaped
    ["a%20b", "a b"],
    ["%F0%9F%A4%96.bas", "🤖.bas"],
    ["%21%27%28%29%2A~-_.", "!'()*~-_."],
    ["", ""],
  ])("%s → %s", (escaped, decoded) => {
    expect(decodeMinioKey(escaped)).toBe(decoded);
  });

  it.each(["%E0%A4%A", "%", "%zz", "abc%2", "%C3%28", "%FF"])("rejects malformed escape %s", (bad) => {
    expect(() => decodeMinioKey(bad)).toThrow(BotsyncError);
    try {
      decodeMinioKey(bad);
    } catch (e) {
      expect((e as BotsyncError).code).toBe("INVALID_NOTIFICATION");
    }
  });
});

describe("encodeMinioKey (Go url.QueryEscape)", () => {
  it.each([
    ["in/a b+c/ü.csv", "in%2Fa+b%2Bc%2F%C3%BC.csv"],
    ["demo.gbot/config.csv", "demo.gbot%2Fconfig.csv"],
    ["demo.gbkb/manuals/2026/guia do usuário+v2.pdf", "demo.gbkb%2Fmanuals%2F2026%2Fguia+do+usu%C3%A1rio%2Bv2.pdf"],
    ["!'()*", "%21%27%28%29%2A"],
    ["AZaz09-_.~", "AZaz09-_.~"],
    ["a&b=c?d#e%f", "a%26b%3Dc%3Fd%23e%25f"],
    ["🤖.bas", "%F0%9F%A4%96.bas"],
  ])("%s → %s", (decoded, escaped) => {
    expect(encodeMinioKey(decoded)).toBe(escaped);
  });

  it.each([
    "demo.gbot/config.csv",
    "in/a b+c/ü.csv",
    "x/!'()*~ %+&=?#/日本語/🤖 v2.bas",
    "  leading and trailing  ",
    "100% sure+1.md",
  ])("round trips %s", (key) => {
    expect(decodeMinioKey(encodeMinioKey(key))).toBe(key);
  });

  it("rejects a lone surrogate with INVALID_KEY", () => {
    expect(() => encodeMinioKey("a\ud800b")).toThrow(expect.objectContaining({ code: "INVALID_KEY" }));
  });
});
