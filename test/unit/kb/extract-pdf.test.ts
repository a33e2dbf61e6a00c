import { describe, expect, it } from "vitest";
import { BotsyncError } from "../../../src/core/errors.js";
import { failure } from "../../harness/botsync-failure.js";
import { extractText, limitsFor } from "../../../src/core/kb/extract/extract.js";
import { isPdfJsError } from "../../../src/core/kb/extract/extract-pdf.js";
import { makePdf, utf8 } from "./documents.js";

/**
 * Runs `fn` with this process's unhandledRejection listeners (vitest's) replaced by one that collects
 * rejections, then restores them. PDF.js leaks an unhandled rejection on some corrupt page trees (see
 * extract-pdf.ts); the test asserts that nothing else leaks.
 */
async function collectingUnhandledRejections(fn: () => Promise<void>): Promise<unknown[]> {
  const saved = process.listeners("unhandledRejection");
  const leaked: unknown[] = [];
  const collect = (reason: unknown) => leaked.push(reason);
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", collect);
  try {
    await fn();
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.off("unhandledRejection", collect);
    for (const l of saved) process.on("unhandledRejection", l);
  }
  return leaked;
}


describe("pdf (unpdf / PDF.js)", () => {
  it("extracts the text of every page, pages separated by a blank line", async () => {
    const pdf = makePdf([
      ["Employee Handbook", "Chapter 1 (Leave)", "Every employee gets 30 days."],
      ["Chapter 2: Remote work", "Ação e coração, naïve café"],
    ]);
    expect(await extractText("pdf", pdf)).toEqual({
      text: "Employee Handbook\nChapter 1 (Leave)\nEvery employee gets 30 days.\n\nChapter 2: Remote work\nAção e coração, naïve café",
      meta: { pages: 2 },
    });
  });

  it("reads FlateDecode content streams", async () => {
    const pdf = makePdf([["Compressed stream text"], ["Second page"]], { compress: true });
    expect(await extractText("pdf", pdf)).toEqual({ text: "Compressed stream text\n\nSecond page", meta: { pages: 2 } });
  });

  it("does not detach or change the caller's buffer", async () => {
    const pdf = makePdf([["Keep my bytes"]]);
    const copy = pdf.slice();
    await extractText("pdf", pdf);
    expect(pdf.byteLength).toBe(copy.byteLength);
    expect(pdf).toEqual(copy);
  });

  it("does not detach a Node Buffer either (Buffer#slice is a view, not a copy)", async () => {
    const pdf = Buffer.from(makePdf([["From a Buffer"]]));
    const copy = Buffer.from(pdf);
    expect((await extractText("pdf", pdf)).text).toBe("From a Buffer");
    expect(pdf.equals(copy)).toBe(true);
  });

  it("a page without text gives no text and a warning (no OCR)", async () => {
    const r = await extractText("pdf", makePdf([[]]));
    expect(r).toEqual({ text: "", meta: { pages: 1, warnings: ["the PDF has no text layer (a scanned document?); OCR is not supported"] } });
  });

  it("garbage is KB_EXTRACTION_FAILED", async () => {
    const e = await failure(extractText("pdf", utf8("%PDF-1.7\nthis is not really a pdf")));
    expect(e.code).toBe("KB_EXTRACTION_FAILED");
    expect(e.message).toMatch(/^not a readable PDF document \(/);
    const e2 = await failure(extractText("pdf", utf8("hello")));
    expect(e2.code).toBe("KB_EXTRACTION_FAILED");
  });

  it("a PDF truncated before its first page is KB_EXTRACTION_FAILED", async () => {
    const pdf = makePdf([["Some text"]]);
    const e = await failure(extractText("pdf", pdf.slice(0, 120)));
    expect(e.code).toBe("KB_EXTRACTION_FAILED");
  });

  it("truncated anywhere or corrupted: PDF.js may recover some text, but only a result or a BotsyncError comes out", async () => {
    const pdf = makePdf([["First page text"], ["Second page text"], ["Third page text"]]);
    let failed = 0;
    const leaked = await collectingUnhandledRejections(async () => {
      for (let pct = 2; pct < 100; pct += 4) {
        try {
          const r = await extractText("pdf", pdf.slice(0, Math.floor((pdf.length * pct) / 100)));
          expect(typeof r.text).toBe("string");
        } catch (error) {
          expect(error).toBeInstanceOf(BotsyncError);
          expect((error as BotsyncError).code).toBe("KB_EXTRACTION_FAILED");
          failed++;
        }
      }
      let seed = 99;
      const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
      for (let round = 0; round < 40; round++) {
        const bad = pdf.slice();
        for (let k = 0; k < 4; k++) bad[Math.floor(rnd() * bad.length)] = Math.floor(rnd() * 256);
        await extractText("pdf", bad).catch((error: unknown) => {
          expect(error).toBeInstanceOf(BotsyncError);
          failed++;
        });
      }
    });
    expect(failed).toBeGreaterThan(0);
    // the one thing that may escape is PDF.js's own page-tree prefetch (round 2 of this seed triggers it)
    for (const reason of leaked) expect(isPdfJsError(reason)).toBe(true);
  });

  it("a document over its time limit is KB_EXTRACTION_TIMEOUT", async () => {
    const pages = Array.from({ length: 300 }, (_, i) => Array.from({ length: 40 }, (_, j) => `Page ${i + 1} line ${j + 1} with some words`));
    const pdf = makePdf(pages);
    const e = await failure(extractText("pdf", pdf, { ...limitsFor("pdf"), timeoutMs: 2 }));
    expect(e.code).toBe("KB_EXTRACTION_TIMEOUT");
    expect(e.message).toBe("text extraction took longer than 2 ms");
    expect(e.retryable).toBe(false);
  });

  it("stops at the text limit and says so", async () => {
    const pdf = makePdf([["A".repeat(50)], ["B".repeat(50)], ["C".repeat(50)]]);
    const r = await extractText("pdf", pdf, { ...limitsFor("pdf"), maxExtractedChars: 60 });
    expect(r.text).toBe("A".repeat(50) + "\n\n" + "B".repeat(8));
    expect(r.meta.truncated).toBe(true);
    expect(r.meta.warnings).toEqual(["the extracted text was cut at 60 characters"]);
  });
});
