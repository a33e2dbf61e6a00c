/**
 * Extraction from a byte stream (extractTextFromStream): the same text as from the whole document, however
 * the bytes are cut into pieces; reading stops (and the body is cancelled) at the text limit; the limits
 * that a stream can break (a body longer than declared) still hold. And the bounds that keep one endless
 * paragraph or one huge shared-string table from filling the heap.
 */
import { describe, expect, it } from "vitest";
import { extractText, extractTextFromStream, limitsFor } from "../../../src/core/kb/extract/extract.js";
import { LINE_PART_CHARS } from "../../../src/core/kb/extract/context.js";
import type { KbFormat } from "../../../src/core/kb/kb-format.js";
import { failure } from "../../harness/botsync-failure.js";
import { endlessCsv, streamOf } from "../../harness/byte-streams.js";
import { docxBody, makeDocx, makeXlsx, utf8 } from "./documents.js";

const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

/** The document streamed in pieces of `pieceSize` bytes. */
function streamed(format: KbFormat, bytes: Uint8Array, pieceSize: number, limits = limitsFor(format)) {
  return extractTextFromStream(format, streamOf(bytes, pieceSize).body, bytes.length, limits);
}

describe("extractTextFromStream gives the text of the whole document, whatever the pieces", () => {
  const cases: Array<[KbFormat, Uint8Array]> = [
    ["txt", utf8("Ação, coração e pão 😀 — “quotes” ".repeat(50))],
    ["csv", utf8("id,nome\n" + Array.from({ length: 200 }, (_, i) => `${i},São Paulo ${i} ✓`).join("\n"))],
    ["txt", concat(new Uint8Array([0xff, 0xfe]), new Uint8Array(Buffer.from("UTF-16 texto ação 😀 ".repeat(40), "utf16le")))],
    ["txt", concat(utf8("plain ascii first, "), new Uint8Array([0x63, 0x61, 0xe7, 0xe3, 0x6f]), utf8(" then Windows-1252"))],
    ["html", utf8("<html><body>" + "<p>Olá <b>mundo</b> &amp; ação</p><script>x()</script>".repeat(60) + "</body></html>")],
    ["xml", utf8('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]><r>' + "<a>ação</a><b>pão &amp; 😀</b>".repeat(60) + "</r>")],
    ["json", utf8(JSON.stringify({ nome: "Ação", itens: [{ sku: "A-1", preço: 12.5, ok: true }, { sku: "😀", tags: ["x", ["y"]] }], vazio: null }))],
    ["json", utf8('{"a": "unterminated ação')],
    ["json", utf8("   \n ")],
    ["jsonl", utf8(Array.from({ length: 80 }, (_, i) => JSON.stringify({ id: i, name: `item ação ${i}` })).join("\n") + "\nnot json\n")],
    ["docx", makeDocx({ body: docxBody(["First paragraph", "Segundo parágrafo com acentuação"]) })],
  ];
  it.each(cases.flatMap(([format, bytes]) => [1, 3, 7, 64, 4096].map((piece) => [format, piece, bytes] as const)))(
    "%s in pieces of %i bytes",
    async (format, piece, bytes) => {
      expect(await streamed(format, bytes, piece)).toEqual(await extractText(format, bytes));
    },
  );

  it("0 bytes give empty text for every format, as from memory", async () => {
    expect(await streamed("xml", new Uint8Array(0), 10)).toEqual({ text: "", meta: {} });
  });
});

describe("reading stops where the text limit is reached", () => {
  it("an endless CSV is read only up to the limit, and the rest of the body is cancelled", async () => {
    const csv = endlessCsv(16 * 1024);
    const r = await extractTextFromStream("csv", csv.body, 1000 * 1024 * 1024, { ...limitsFor("csv"), maxExtractedChars: 100_000 });
    expect(r.text).toHaveLength(100_000);
    expect(r.meta.truncated).toBe(true);
    expect(csv.state.cancelled).toBe(true);
    expect(csv.state.pulled).toBeLessThan(100_000 + 16 * 1024 + 1);
  });

  it("an endless JSON array is read only up to the limit: the document is never built", async () => {
    let n = 0;
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const items = Array.from({ length: 100 }, () => JSON.stringify({ id: n++, city: "São Paulo" }));
        controller.enqueue(encoder.encode((n === 100 ? "[" : ",") + items.join(",")));
      },
    });
    const r = await extractTextFromStream("json", body, 100 * 1024 * 1024, { ...limitsFor("json"), maxExtractedChars: 50_000 });
    expect(r.text).toHaveLength(50_000);
    expect(r.text.startsWith("id: 0\ncity: São Paulo\nid: 1\n")).toBe(true);
    expect(n).toBeLessThan(10_000);
  });

  it("a body longer than the size it declared is refused once it passes the format's cap", async () => {
    const md = streamOf(new Uint8Array(3000).fill(0x61), 512);
    const e = await failure(extractTextFromStream("md", md.body, 100, { ...limitsFor("md"), maxBytes: 2000 }));
    expect(e.code).toBe("KB_DOCUMENT_TOO_LARGE");
    expect(md.state.cancelled).toBe(true);
  });

  it("a declared size over the cap is refused before a byte is read", async () => {
    const md = streamOf(new Uint8Array(10), 5);
    const e = await failure(extractTextFromStream("md", md.body, 10 * 1024 * 1024 + 1));
    expect(e).toMatchObject({ code: "KB_DOCUMENT_TOO_LARGE" });
    expect(md.state).toMatchObject({ pulled: 0, cancelled: true });
  });
});

describe("memory bounds of the markup formats", () => {
  it("one paragraph longer than a line part is written in parts, with the same text as one line", async () => {
    const words = Array.from({ length: (3 * LINE_PART_CHARS) / 8 }, (_, i) => `w${i % 1000}\t  x`).join("  ");
    const r = await extractText("docx", makeDocx({ body: docxBody(["  " + words + "   "]) }));
    expect(r.text).toBe(words.replace(/\s+/g, " ").trim() + "\n");
  });

  it("one endless paragraph is cut at the text limit", async () => {
    const words = Array.from({ length: 50_000 }, (_, i) => `palavra${i}`).join(" ");
    const r = await extractText("docx", makeDocx({ body: docxBody([words]) }), { ...limitsFor("docx"), maxExtractedChars: 100_000 });
    expect(r.text).toBe(words.slice(0, 100_000));
    expect(r.meta.truncated).toBe(true);
  });

  it("a shared-string table over the text limit is kept only up to it, with a warning", async () => {
    const long = "s".repeat(400);
    const rows = Array.from({ length: 20 }, (_, i) => [`${long}${i}`]);
    const r = await extractText("xlsx", makeXlsx([{ name: "S", rows }]), { ...limitsFor("xlsx"), maxExtractedChars: 2_000 });
    expect(r.meta.warnings).toContain("the workbook's shared strings hold more than 2000 characters; cells using the rest are indexed empty");
    expect(r.text).toHaveLength(2_000);
    expect(r.text.startsWith(`S\n${long}0\n${long}1\n${long}2\n${long}3\n`)).toBe(true);
  });

  it("one cell longer than the text limit is cut there", async () => {
    const r = await extractText("xlsx", makeXlsx([{ name: "S", rows: [[{ inline: "c".repeat(5_000) }]] }]), { ...limitsFor("xlsx"), maxExtractedChars: 1_000 });
    expect(r.text).toBe("S\n" + "c".repeat(998));
  });
});
