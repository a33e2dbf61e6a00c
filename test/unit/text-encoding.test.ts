import { describe, expect, it } from "vitest";
import { byteOrderMark, stripBom, utf8BomLength } from "../../src/core/text/byte-order-mark.js";
import { decodeUtf8Strict, utf8Text } from "../../src/core/text/utf8.js";

const bytes = (...b: number[]) => new Uint8Array(b);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe("byte-order marks", () => {
  it("names the encoding a mark declares and its length", () => {
    expect(byteOrderMark(bytes(0xef, 0xbb, 0xbf, 0x41))).toEqual({ encoding: "utf-8", length: 3 });
    expect(byteOrderMark(bytes(0xff, 0xfe, 0x41, 0))).toEqual({ encoding: "utf-16le", length: 2 });
    expect(byteOrderMark(bytes(0xfe, 0xff, 0, 0x41))).toEqual({ encoding: "utf-16be", length: 2 });
    expect(byteOrderMark(bytes(0xef, 0xbb))).toBeNull();
    expect(byteOrderMark(utf8("plain"))).toBeNull();
    expect(utf8BomLength(bytes(0xef, 0xbb, 0xbf))).toBe(3);
    expect(utf8BomLength(bytes(0xff, 0xfe))).toBe(0);
  });

  it("strips one leading U+FEFF and keeps a second one as content", () => {
    expect(stripBom("\uFEFFa")).toBe("a");
    expect(stripBom("\uFEFF\uFEFFa")).toBe("\uFEFFa");
    expect(stripBom("a\uFEFF")).toBe("a\uFEFF");
    expect(stripBom("")).toBe("");
  });
});

describe("UTF-8", () => {
  it("decodes well-formed UTF-8, keeping a mark, and throws on anything else", () => {
    expect(decodeUtf8Strict(utf8("ação ✓ 😀"))).toBe("ação ✓ 😀");
    expect(decodeUtf8Strict(bytes(0xef, 0xbb, 0xbf, 0x41))).toBe("\uFEFFA");
    for (const bad of [bytes(0xc3), bytes(0xc0, 0xaf), bytes(0xed, 0xa0, 0x80), bytes(0x41, 0xff)]) expect(() => decodeUtf8Strict(bad)).toThrow(TypeError);
  });

  it("leaves out a sequence cut at the end of a prefix in stream mode", () => {
    const text = utf8("aç");
    expect(decodeUtf8Strict(text.subarray(0, 2), { stream: true })).toBe("a");
    expect(() => decodeUtf8Strict(text.subarray(0, 2))).toThrow(TypeError);
  });

  it("gives a file's text without its mark, or null when it is not UTF-8", () => {
    expect(utf8Text(bytes(0xef, 0xbb, 0xbf, ...utf8("TALK \"oi\"")))).toBe('TALK "oi"');
    expect(utf8Text(utf8("\uFEFF\uFEFFx"))).toBe("\uFEFFx");
    expect(utf8Text(bytes(0x63, 0xe7, 0x61))).toBeNull(); // "ça" in Windows-1252
  });
});
