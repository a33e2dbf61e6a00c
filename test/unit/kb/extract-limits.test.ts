import { describe, expect, it } from "vitest";
import { deflateSync, zipSync } from "fflate";
import { failure } from "../../harness/botsync-failure.js";
import {
  DEFAULT_MAX_COMPRESSION_RATIO,
  DEFAULT_MAX_EXTRACTED_CHARS,
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  DEFAULT_MAX_ZIP_ENTRIES,
  DEFAULT_TIMEOUT_MS,
  extractText,
  limitsFor,
  type ExtractLimits,
} from "../../../src/core/kb/extract/extract.js";
import { KB_FORMATS, type KbFormat } from "../../../src/core/kb/kb-format.js";
import { deflatedRun, zeroBomb, makeDocx, docxBody, makeXlsx, ooxmlShell, rawZip, utf8 } from "./documents.js";

const MiB = 1024 * 1024;


/** The OOXML shell's small parts, deflated honestly, for raw archives. */
function shellEntries(kind: "docx" | "xlsx" | "pptx") {
  return Object.entries(ooxmlShell(kind)).map(([name, s]) => {
    const b = utf8(s);
    return { name, deflated: deflateSync(b), declaredSize: b.length };
  });
}

const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

describe("limits", () => {
  it("size caps per format are the botserver's, lower where a cap-sized file would not fit the memory budget, and documented ones for the formats it does not have", () => {
    const caps = Object.fromEntries(KB_FORMATS.map((f) => [f, limitsFor(f).maxBytes / MiB]));
    expect(caps).toEqual({
      // the botserver's 500 MiB: PDF.js needs the whole file in memory (docs/botserver-compatibility.md)
      pdf: 16,
      pptx: 200,
      docx: 100,
      xlsx: 100,
      txt: 100,
      json: 100,
      xml: 100,
      html: 50,
      md: 10,
      csv: 1024,
      // the botserver has no cap for these (docs/botserver-compatibility.md, "Knowledge base: formats and caps")
      tsv: 1024,
      jsonl: 100,
      // a YAML parse grows the service by 120–150 MB per MiB of records
      yaml: 0.5,
    });
    for (const f of KB_FORMATS) {
      expect(limitsFor(f)).toMatchObject({
        timeoutMs: DEFAULT_TIMEOUT_MS,
        maxExtractedChars: DEFAULT_MAX_EXTRACTED_CHARS,
        maxZipEntries: DEFAULT_MAX_ZIP_ENTRIES,
        maxUncompressedBytes: DEFAULT_MAX_UNCOMPRESSED_BYTES,
        maxCompressionRatio: DEFAULT_MAX_COMPRESSION_RATIO,
      });
    }
    expect([DEFAULT_TIMEOUT_MS, DEFAULT_MAX_EXTRACTED_CHARS, DEFAULT_MAX_ZIP_ENTRIES, DEFAULT_MAX_UNCOMPRESSED_BYTES / MiB, DEFAULT_MAX_COMPRESSION_RATIO]).toEqual([
      120_000, 10_000_000, 10_000, 1024, 200,
    ]);
  });

  it("rejects an input over the real md cap (10 MiB) before reading it", async () => {
    const e = await failure(extractText("md", new Uint8Array(10 * MiB + 1)));
    expect(e.code).toBe("KB_DOCUMENT_TOO_LARGE");
    expect(e.message).toBe("md document is 10.0 MiB, more than the 10 MiB limit for this format");
    expect(e.details).toEqual({ bytes: 10 * MiB + 1, maxBytes: 10 * MiB });
    expect(e.retryable).toBe(false);
    // exactly at the cap is read (and, at 10,485,760 characters, cut at the 10,000,000-character text limit)
    const r = await extractText("md", new Uint8Array(10 * MiB).fill(0x61));
    expect(r.text.length).toBe(10_000_000);
    expect(r.meta.truncated).toBe(true);
  });

  it.each(KB_FORMATS.map((f) => [f]))("%s: a document one byte over a custom cap is KB_DOCUMENT_TOO_LARGE", async (format) => {
    const e = await failure(extractText(format, new Uint8Array(101), { ...limitsFor(format), maxBytes: 100 }));
    expect(e.code).toBe("KB_DOCUMENT_TOO_LARGE");
  });

  it.each(KB_FORMATS.map((f) => [f]))("%s: 0 bytes give empty text (0 chunks), whatever the format", async (format) => {
    expect(await extractText(format, new Uint8Array(0))).toEqual({ text: "", meta: {} });
  });

  it("an unknown format is KB_UNSUPPORTED_FORMAT", async () => {
    const e = await failure(extractText("doc" as KbFormat, utf8("x")));
    expect(e.code).toBe("KB_UNSUPPORTED_FORMAT");
    expect(e.message).toBe('unsupported document format "doc"');
    // not fooled by Object.prototype members
    expect((await failure(extractText("toString" as KbFormat, utf8("x")))).code).toBe("KB_UNSUPPORTED_FORMAT");
  });

  it("cuts the text at maxExtractedChars, stops reading there, and reports it", async () => {
    const limits: ExtractLimits = { ...limitsFor("txt"), maxExtractedChars: 1000 };
    const r = await extractText("txt", utf8("x".repeat(5000)), limits);
    expect(r).toEqual({ text: "x".repeat(1000), meta: { truncated: true, warnings: ["the extracted text was cut at 1000 characters"] } });
    // exactly at the limit is not truncated
    expect((await extractText("txt", utf8("x".repeat(1000)), limits)).meta).toEqual({});
    // never splits a surrogate pair
    const emoji = await extractText("txt", utf8("😀".repeat(1000)), { ...limits, maxExtractedChars: 999 });
    expect(emoji.text).toBe("😀".repeat(499));
  });

  it("cuts a big workbook at the text limit without reading the rest", async () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => [`row ${i}`, i]);
    const r = await extractText("xlsx", makeXlsx([{ name: "Big", rows }]), { ...limitsFor("xlsx"), maxExtractedChars: 500 });
    expect(r.text).toHaveLength(500);
    expect(r.text.startsWith("Big\nrow 0\t0\nrow 1\t1\n")).toBe(true);
    expect(r.meta.truncated).toBe(true);
  });

  it("a ZIP document over its time limit is KB_EXTRACTION_TIMEOUT", async () => {
    const rows = Array.from({ length: 15_000 }, (_, i) => [`row number ${i}`, i, i * 2, "some shared text"]);
    const xlsx = makeXlsx([{ name: "Big", rows }]);
    const e = await failure(extractText("xlsx", xlsx, { ...limitsFor("xlsx"), timeoutMs: 1 }));
    expect(e.code).toBe("KB_EXTRACTION_TIMEOUT");
  });

  it("a text document over its time limit is KB_EXTRACTION_TIMEOUT", async () => {
    // > 1 MiB of markup is parsed in steps with a deadline check between them
    const html = utf8("<div>" + "<p>paragraph of text</p>".repeat(200_000) + "</div>");
    const e = await failure(extractText("html", html, { ...limitsFor("html"), timeoutMs: 1 }));
    expect(e.code).toBe("KB_EXTRACTION_TIMEOUT");
  });
});

describe("decompression bombs in docx/xlsx/pptx", () => {
  const bombBytes = 200 * MiB;

  it("an honest header declaring 200 MiB of zeros in 200 KB (ratio 1032×) is refused from the central directory, before inflating", async () => {
    const bomb = zeroBomb(bombBytes);
    expect(bomb.length).toBeLessThan(210_000);
    for (const kind of ["docx", "xlsx", "pptx"] as const) {
      const zip = rawZip([...shellEntries(kind), { name: "word/document.xml", deflated: bomb, declaredSize: bombBytes }]);
      const started = performance.now();
      const e = await failure(extractText(kind, zip));
      expect(performance.now() - started).toBeLessThan(1000);
      expect(e.code).toBe("KB_EXTRACTION_FAILED");
      expect(e.message).toMatch(/entry "word\/document\.xml" expands 1032× \(200\.0 MiB\), more than the limit of 200× \(decompression bomb\?\)/);
    }
  });

  it("the same bomb declaring its entry as tiny is caught while inflating, after ~1 MiB", async () => {
    const zip = rawZip([...shellEntries("docx"), { name: "word/document.xml", deflated: zeroBomb(bombBytes), declaredSize: 2000 }]);
    const started = performance.now();
    const e = await failure(extractText("docx", zip));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(e.message).toContain('entry "word/document.xml" inflates beyond its declared size of 2000 bytes');
  });

  it("a header that LIES (declares 1 KB for 200 MiB) is caught while inflating, after ~1 MiB", async () => {
    const bomb = deflatedRun({ prefix: `<w:document xmlns:w="${W}"><w:body>`, byte: 0x20, count: bombBytes, suffix: "</w:body></w:document>" });
    const zip = rawZip([...shellEntries("docx"), { name: "word/document.xml", deflated: bomb, declaredSize: 1000 }]);
    const started = performance.now();
    const e = await failure(extractText("docx", zip));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(e.code).toBe("KB_EXTRACTION_FAILED");
    expect(e.message).toContain('entry "word/document.xml" inflates beyond its declared size of 1000 bytes (the archive lies about its sizes');
  });

  it("a small entry (≤ 64 KiB compressed, inflated in one call) that lies is caught too", async () => {
    const bomb = deflatedRun({ prefix: `<w:document xmlns:w="${W}"><w:body>`, byte: 0x20, count: 4 * MiB, suffix: "</w:body></w:document>" });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const zip = rawZip([...shellEntries("docx"), { name: "word/document.xml", deflated: bomb, declaredSize: 1000 }]);
    const e = await failure(extractText("docx", zip));
    expect(e.message).toContain('entry "word/document.xml" inflates beyond its declared size of 1000 bytes');
  });

  it("a plausible lie (declares 4 MiB, ratio 3×, for 200 MiB of valid XML white space) stops at 4 MiB", async () => {
    const bomb = deflatedRun({ prefix: `<w:document xmlns:w="${W}"><w:body>`, byte: 0x20, count: bombBytes, suffix: "</w:body></w:document>" });
    const zip = rawZip([...shellEntries("docx"), { name: "word/document.xml", deflated: bomb, declaredSize: 4 * MiB }]);
    const e = await failure(extractText("docx", zip));
    expect(e.message).toContain("inflates beyond its declared size of 4194304 bytes");
  });

  it("an honest, highly compressible (158×) document is read with the defaults, and refused with a 100× limit", async () => {
    const body = `<w:p><w:r><w:t>after the padding</w:t></w:r></w:p>`;
    const head = `<w:document xmlns:w="${W}"><w:body>`;
    const tail = `${body}</w:body></w:document>`;
    const xml = deflatedRun({ prefix: head, byte: 0x20, count: 5 * MiB, suffix: tail });
    const zip = rawZip([...shellEntries("docx"), { name: "word/document.xml", deflated: xml, declaredSize: head.length + 5 * MiB + tail.length }]);
    expect((await extractText("docx", zip)).text).toBe("after the padding\n");
    const e = await failure(extractText("docx", zip, { ...limitsFor("docx"), maxCompressionRatio: 100 }));
    expect(e.message).toContain("more than the limit of 100×");
  });

  it("total declared uncompressed size over maxUncompressedBytes is refused", async () => {
    const docx = makeDocx({ body: docxBody(["x".repeat(5000)]) });
    const e = await failure(extractText("docx", docx, { ...limitsFor("docx"), maxUncompressedBytes: 4096 }));
    expect(e.message).toContain("the archive declares more than 4096 bytes of uncompressed data (decompression bomb?)");
  });

  it("more entries than maxZipEntries are refused from the end record", async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 50; i++) files[`media/${i}.bin`] = new Uint8Array(1);
    const base = makeDocx({ body: docxBody(["x"]) });
    const { unzipSync } = await import("fflate");
    const zip = zipSync({ ...unzipSync(base), ...files });
    const e = await failure(extractText("docx", zip, { ...limitsFor("docx"), maxZipEntries: 20 }));
    expect(e.message).toMatch(/the archive lists 5\d entries, more than the limit of 20/);
    expect((await extractText("docx", zip)).text).toBe("x\n");
  });

  it("a small highly compressible entry is fine (the ratio check has a 100 KiB grace)", async () => {
    const docx = makeDocx({ body: docxBody(["a".repeat(90_000)]) });
    expect((await extractText("docx", docx)).text).toBe("a".repeat(90_000) + "\n");
  });

  it("an entry whose data is shorter than declared is corrupt", async () => {
    const xml = utf8(`<w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>short</w:t></w:r></w:p></w:body></w:document>`);
    const zip = rawZip([...shellEntries("docx"), { name: "word/document.xml", deflated: deflateSync(xml), declaredSize: xml.length + 10 }]);
    const e = await failure(extractText("docx", zip));
    expect(e.message).toContain(`inflated to ${xml.length} bytes, not the declared ${xml.length + 10} (corrupt archive)`);
  });
});
