/**
 * pdf — the text layer of every page, pages separated by a blank line; meta.pages = page count.
 *
 * Library: `unpdf` 1.7 — the "serverless" build of Mozilla's PDF.js 5.6 (pure JS, no worker thread, no
 * native canvas; made for Cloudflare Workers and runs on Node 20). The botserver shells out to poppler's
 * `pdftotext -layout`, which needs a binary we cannot have in workerd.
 * (unpdf 1.8+ declares Node ≥ 22 and pdfjs-dist ≥ 5.3 requires Node ≥ 20.16 plus a worker; 1.7.0 has no
 * engine restriction and is tested here on Node 20.)
 *
 * - PDF.js is loaded on first use (`import()`), so the rest of the KB code and the Worker bundle's start-up
 *   do not pay for parsing ~1.6 MB of PDF.js until a PDF arrives.
 * - Options: no `eval` (isEvalSupported: false), no font-face loading, errors-only logging.
 * - The input is handed to PDF.js as it is, without a copy (a cap-sized file would otherwise be held twice):
 *   the dispatcher gives a whole-file extractor a buffer of its own, which PDF.js transfers (detaches).
 * - Pages are read one at a time with a deadline check between them, and released after reading; the
 *   document's caches are dropped every PDF_CLEANUP_PAGES pages.
 * - Text items are joined as PDF.js emits them; an item flagged `hasEOL` ends a line.
 * - Broken input (not a PDF, truncated beyond repair) → KB_EXTRACTION_FAILED; a password → the same, saying so.
 * - A PDF without a text layer (a scan) gives no text and a warning: there is no OCR.
 * - Known gap: CJK PDFs that use predefined CMaps need PDF.js's CMap files, which are not bundled, so such
 *   text may be missing.
 * - Known PDF.js bug (5.6 as bundled here, and still in 5.7 / unpdf 1.8): `Catalog.getPageDict` prefetches the
 *   kids of the top-level page tree into a cache without a rejection handler; when a corrupt file makes the
 *   traversal fail before it awaits one of them, that prefetch rejects UNHANDLED (e.g. an
 *   XRefEntryException), after extractText has already rejected with KB_EXTRACTION_FAILED. Nothing in this
 *   module can catch it. In workerd that is only logged; on Node, whose default is to crash on an unhandled
 *   rejection, the process that runs extraction must either run it in a worker thread (which also gives a
 *   hard timeout; the rejection then ends only that worker) or have an `unhandledRejection` listener that
 *   logs errors for which {@link isPdfJsError} is true instead of exiting.
 */
import { extractionFailed, isExtractionSignal, messageOf, type ExtractContext } from "./context.js";

/** The exception classes PDF.js throws (by name: the classes themselves are internal to its bundle). */
const PDFJS_ERROR_NAMES = new Set([
  "AbortException",
  "FormatError",
  "InvalidPDFException",
  "MissingDataException",
  "ParserEOFException",
  "PasswordException",
  "ResponseException",
  "UnknownErrorException",
  "XRefEntryException",
  "XRefParseException",
]);

/** True for an error thrown by PDF.js (for a Node `unhandledRejection` policy; see the module comment). */
export function isPdfJsError(reason: unknown): boolean {
  return reason instanceof Error && PDFJS_ERROR_NAMES.has(reason.name);
}

export const PDF_CLEANUP_PAGES = 10;

interface TextItemLike {
  str?: string;
  hasEOL?: boolean;
}

export async function extractPdf(bytes: Uint8Array, ctx: ExtractContext): Promise<void> {
  const { getDocumentProxy } = await import("unpdf");
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(bytes, {
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
      stopAtErrors: false,
    });
  } catch (error) {
    if (isExtractionSignal(error)) throw error;
    const name = error instanceof Error ? error.name : "";
    if (name === "PasswordException") throw extractionFailed("PDF document is encrypted (password required)", error);
    throw extractionFailed(`not a readable PDF document (${messageOf(error)})`, error);
  }
  try {
    ctx.meta.pages = pdf.numPages;
    let chars = 0;
    for (let n = 1; n <= pdf.numPages; n++) {
      ctx.deadline.check();
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      ctx.deadline.check();
      const parts: string[] = [];
      for (const item of content.items as TextItemLike[]) {
        if (typeof item.str === "string") parts.push(item.str);
        if (item.hasEOL === true) parts.push("\n");
      }
      page.cleanup();
      // PDF.js keeps parsed objects and fonts of every page read until the document is cleaned up: a 3,000-page
      // file held ~200 MB by its end, ~90 MB when cleaned every 50 pages (at no measurable cost in time); every
      // 10 pages the service grew by ~85 MB instead of ~100 for a 14 MiB file, as fast; every page, 3.5× slower
      if (n % PDF_CLEANUP_PAGES === 0) await pdf.cleanup();
      const text = parts.join("").trim();
      chars += text.length;
      if (n > 1) ctx.sink.push("\n\n");
      ctx.sink.push(text);
    }
    if (chars === 0 && pdf.numPages > 0) ctx.warn("the PDF has no text layer (a scanned document?); OCR is not supported");
  } catch (error) {
    if (isExtractionSignal(error)) throw error;
    throw extractionFailed(`PDF document could not be read (${messageOf(error)})`, error);
  } finally {
    void pdf.destroy().catch(() => undefined);
  }
}
