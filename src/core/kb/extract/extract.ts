/**
 * Text extraction for the knowledge base: format → extractor, with per-format size caps, a per-document
 * time limit and a cap on the extracted text (docs/botserver-compatibility.md, "Knowledge base: formats and
 * caps").
 *
 * `extractText(format, bytes, limits?)` (a document in memory) and `extractTextFromStream(format, body, size,
 * limits?)` (a document as it is downloaded) resolve to `{ text, meta }` or reject with a BotsyncError — never
 * anything else:
 *   - KB_DOCUMENT_TOO_LARGE   the input is larger than `limits.maxBytes`;
 *   - KB_EXTRACTION_FAILED    broken input (invalid ZIP, truncated PDF, malformed XML, a decompression bomb, …),
 *                             with the reason in the message;
 *   - KB_EXTRACTION_TIMEOUT   it took longer than `limits.timeoutMs`.
 * None is retryable: the same bytes fail the same way, so the job waits for a new ETag.
 * Empty input (0 bytes) gives empty text for every format (the botserver: "0-byte files give 0 chunks").
 * Text longer than `limits.maxExtractedChars` is cut there and `meta.truncated` is set (the botserver cuts
 * documents at 1,000 chunks with a warning; the job should surface the warning).
 * The text is NOT cleaned: `chunkDocument` (chunk.ts) cleans it the botserver's way before chunking.
 *
 * Size caps (`limitsFor`): the botserver's where it has one — pptx 200 MiB; docx, xlsx, txt, json, xml
 * 100 MiB; html 50 MiB; md 10 MiB; csv 1 GiB — and for the formats it does not have: tsv 1 GiB (as csv),
 * jsonl 100 MiB (as json). Two are lower than the botserver's, because every document a cap admits must
 * be indexed within the service's memory budget (300 MB of RSS, docs/budgets.md), and these two formats
 * cannot be read in pieces:
 *   - pdf 16 MiB (the botserver: 500 MiB). PDF.js needs the whole file in memory, beside its own parse.
 *     Measured (3,000 text pages plus a picture, one document alone): the service grows by ~90 MB for a
 *     6 MiB file, ~125 MB for 30 MiB, ~175–200 MB for 62–98 MiB; in bench/kb-memory.ts, after the other
 *     formats' cap-sized documents, a 30 MiB PDF took the service to 301–311 MB, over the budget.
 *   - yaml 512 KiB (md's 10 MiB before). YAML parsing builds a syntax tree of every node: measured, a 1 MiB
 *     list of records grows the service by 120–150 MB, and 2 MiB already exceeds the extraction thread's
 *     160 MB heap (now 128 MB).
 * The ZIP formats are read from a spool (random-access.ts; a file on Node), part by part, and streamed
 * formats as they download, so their caps bound the download, not the memory.
 * Common limits: 120 s per document (the botserver's per-file timeout), 10,000,000 characters of text
 * (≈ 12,500 chunks at the defaults, 12.5× the botserver's 1,000-chunk cap); ZIP formats: at most 10,000
 * entries, 1 GiB uncompressed (declared in total, and actually inflated), and a 200× compression ratio per
 * entry above 100 KiB. (Apache POI uses 100× for the same check, and is known to reject some legitimate
 * machine-generated spreadsheets with it; real bombs run at ~1000×, the most DEFLATE allows. Memory is not
 * what the ratio protects here — entries are streamed — the 1 GiB inflate cap and the timeout bound the work.)
 *
 * Time limit: the extractor is raced against a timer, and extractors also check a cooperative deadline
 * between bounded steps (see Deadline in context.ts for what that can and cannot interrupt, and why a Node
 * caller that needs a hard bound should run this in a worker thread).
 */
import { BotsyncError, isBotsyncError } from "../../errors.js";
import { isKbFormat, type KbFormat } from "../kb-format.js";
import {
  Deadline,
  extractionFailed,
  messageOf,
  TextLimitReached,
  TextSink,
  timeoutError,
  type ExtractContext,
  type ExtractLimits,
  type ExtractMeta,
  type ExtractResult,
  type Extractor,
  type RandomAccessExtractor,
  type StreamingExtraction,
  type StreamingExtractor,
} from "./context.js";
import { DECODE_PIECE_BYTES } from "./decode-text-stream.js";
import { extractDelimited } from "./extract-delimited.js";
import { extractDocx } from "./extract-docx.js";
import { extractHtml } from "./extract-html.js";
import { extractJson, extractJsonLines } from "./extract-json.js";
import { extractMarkdown } from "./extract-markdown.js";
import { extractPdf } from "./extract-pdf.js";
import { extractPptx } from "./extract-pptx.js";
import { extractPlainText } from "./extract-text.js";
import { extractXlsx } from "./extract-xlsx.js";
import { extractXml } from "./extract-xml.js";
import { extractYaml } from "./extract-yaml.js";
import { bytesInMemory, readWhole, spoolInMemory, type Spool } from "./random-access.js";

export type { ExtractLimits, ExtractMeta, ExtractResult } from "./context.js";

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** Largest input per format, in bytes (see the module comment for where each number comes from). */
export const MAX_BYTES: Readonly<Record<KbFormat, number>> = Object.freeze({
  pdf: 16 * MiB,
  pptx: 200 * MiB,
  docx: 100 * MiB,
  xlsx: 100 * MiB,
  txt: 100 * MiB,
  json: 100 * MiB,
  jsonl: 100 * MiB,
  xml: 100 * MiB,
  html: 50 * MiB,
  md: 10 * MiB,
  yaml: 512 * KiB,
  csv: 1 * GiB,
  tsv: 1 * GiB,
});

export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_EXTRACTED_CHARS = 10_000_000;
export const DEFAULT_MAX_ZIP_ENTRIES = 10_000;
export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 1 * GiB;
export const DEFAULT_MAX_COMPRESSION_RATIO = 200;

export function limitsFor(format: KbFormat): ExtractLimits {
  return {
    maxBytes: MAX_BYTES[format],
    maxExtractedChars: DEFAULT_MAX_EXTRACTED_CHARS,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    maxZipEntries: DEFAULT_MAX_ZIP_ENTRIES,
    maxUncompressedBytes: DEFAULT_MAX_UNCOMPRESSED_BYTES,
    maxCompressionRatio: DEFAULT_MAX_COMPRESSION_RATIO,
  };
}

/**
 * How each format is read: as its bytes arrive, at offsets of the file (spooled: to disk on Node), or from
 * the whole file in memory (see StreamingExtractor, RandomAccessExtractor, Extractor).
 */
type FormatReader = { stream: StreamingExtractor } | { spooled: RandomAccessExtractor } | { whole: Extractor };

const READERS: Readonly<Record<KbFormat, FormatReader>> = {
  txt: { stream: extractPlainText },
  md: { stream: extractMarkdown },
  html: { stream: extractHtml },
  csv: { stream: extractDelimited },
  tsv: { stream: extractDelimited },
  json: { stream: extractJson },
  jsonl: { stream: extractJsonLines },
  xml: { stream: extractXml },
  yaml: { whole: extractYaml },
  pdf: { whole: extractPdf },
  docx: { spooled: extractDocx },
  xlsx: { spooled: extractXlsx },
  pptx: { spooled: extractPptx },
};

/** True for the formats that are extracted as their bytes arrive (and stop being read at the text limit). */
export function isStreamedFormat(format: KbFormat): boolean {
  return "stream" in READERS[format];
}

/** True for the formats read at offsets: their download is spooled (extractTextFromStream's `spool`). */
export function isSpooledFormat(format: KbFormat): boolean {
  return "spooled" in READERS[format];
}

const mib = (n: number) => (n >= GiB ? `${(n / GiB).toFixed(n % GiB === 0 ? 0 : 1)} GiB` : `${(n / MiB).toFixed(n % MiB === 0 ? 0 : 1)} MiB`);

function readerOf(format: KbFormat): FormatReader {
  if (!isKbFormat(format)) throw new BotsyncError("KB_UNSUPPORTED_FORMAT", `unsupported document format ${JSON.stringify(format)}`);
  return READERS[format];
}

/** KB_DOCUMENT_TOO_LARGE when `bytes` is over the format's cap (also for a body longer than it was declared). */
export function checkSize(format: KbFormat, bytes: number, limits: ExtractLimits = limitsFor(format)): void {
  if (bytes <= limits.maxBytes) return;
  throw new BotsyncError("KB_DOCUMENT_TOO_LARGE", `${format} document is ${mib(bytes)}, more than the ${mib(limits.maxBytes)} limit for this format`, {
    details: { bytes, maxBytes: limits.maxBytes },
  });
}

/** The warning that goes with meta.truncated. */
export function textCutWarning(maxExtractedChars: number): string {
  return `the extracted text was cut at ${maxExtractedChars} characters`;
}

/** Extracts the text of a document held in memory. */
export async function extractText(format: KbFormat, bytes: Uint8Array, limits: ExtractLimits = limitsFor(format)): Promise<ExtractResult> {
  const reader = readerOf(format);
  checkSize(format, bytes.length, limits);
  if (bytes.length === 0) return { text: "", meta: {} };
  return run(format, limits, async (ctx) => {
    // the caller's bytes: a whole-file extractor may detach what it gets (PDF.js does)
    if ("whole" in reader) return reader.whole(new Uint8Array(bytes), ctx);
    if ("spooled" in reader) return reader.spooled(bytesInMemory(bytes), ctx);
    await feed(() => reader.stream(ctx), ctx, async function* () {
      for (let i = 0; i < bytes.length; i += DECODE_PIECE_BYTES) yield bytes.subarray(i, i + DECODE_PIECE_BYTES);
    });
  });
}

/**
 * Extracts the text of a document as its bytes arrive from `body`, whose length the drive declared as
 * `size`. Streamed formats are decoded and parsed piece by piece, and reading stops (the body is cancelled,
 * which ends the download) as soon as the text limit is reached; the ZIP formats are stored by `spool` (in
 * memory unless the caller has a disk: the Node extraction thread spools to a file) and read at offsets;
 * PDF and YAML are read into one buffer of `size` bytes first. The body is always consumed or cancelled. A
 * BotsyncError from the body (the drive failing mid-read) is passed on as it is.
 */
export async function extractTextFromStream(
  format: KbFormat,
  body: ReadableStream<Uint8Array>,
  size: number,
  limits: ExtractLimits = limitsFor(format),
  spool: Spool = spoolInMemory,
): Promise<ExtractResult> {
  const input = body.getReader();
  try {
    const reader = readerOf(format);
    checkSize(format, size, limits);
    let total = 0;
    const pieces = async function* () {
      for (;;) {
        const { value, done } = await input.read();
        if (done) return;
        total += value.length;
        checkSize(format, total, limits); // the body is longer than declared
        if (value.length > 0) yield value;
      }
    };
    return await run(format, limits, async (ctx) => {
      if ("stream" in reader) return feed(() => reader.stream(ctx), ctx, pieces);
      if ("spooled" in reader) {
        const file = await spool(pieces(), size, limits.maxBytes);
        if (file.size > 0) await reader.spooled(file, ctx);
        return;
      }
      const bytes = await readWhole(pieces(), size, limits.maxBytes);
      if (bytes.length > 0) await reader.whole(bytes, ctx);
    });
  } finally {
    await input.cancel().catch(() => undefined);
  }
}

/** Feeds a streaming extraction; its warnings are collected however it ends. Nothing is created for 0 bytes. */
async function feed(open: () => StreamingExtraction, ctx: ExtractContext, pieces: () => AsyncIterable<Uint8Array>): Promise<void> {
  let extraction: StreamingExtraction | undefined;
  try {
    for await (const piece of pieces()) {
      extraction ??= open();
      extraction.write(piece);
      ctx.deadline.check();
    }
    extraction?.end();
  } finally {
    for (const w of extraction?.warnings() ?? []) ctx.warn(w);
  }
}

async function run(format: KbFormat, limits: ExtractLimits, work: (ctx: ExtractContext) => Promise<void> | void): Promise<ExtractResult> {
  const meta: ExtractMeta = {};
  const warnings: string[] = [];
  const sink = new TextSink(limits.maxExtractedChars);
  const deadline = new Deadline(limits.timeoutMs);
  const ctx: ExtractContext = {
    limits,
    deadline,
    sink,
    meta,
    warn: (message) => {
      if (!warnings.includes(message)) warnings.push(message);
    },
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      deadline.expire();
      reject(timeoutError(limits.timeoutMs));
    }, limits.timeoutMs);
  });
  try {
    // `Promise.resolve().then` turns a synchronous throw into a rejection, so both paths are handled alike
    await Promise.race([Promise.resolve().then(() => work(ctx)), timeout]);
  } catch (error) {
    if (!(error instanceof TextLimitReached)) {
      if (isBotsyncError(error)) throw error;
      throw extractionFailed(`${format} extraction failed: ${messageOf(error)}`, error);
    }
  } finally {
    clearTimeout(timer);
  }

  if (sink.truncated) {
    meta.truncated = true;
    warnings.push(textCutWarning(limits.maxExtractedChars));
  }
  if (warnings.length > 0) meta.warnings = warnings;
  return { text: sink.text(), meta };
}
