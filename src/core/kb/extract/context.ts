/**
 * What every extractor shares: the limits, the per-document deadline, the bounded text sink, and the error
 * helpers. Extractors write text into `ctx.sink` (never build unbounded strings of their own), call
 * `ctx.deadline.check()` between bounded steps, and throw only BotsyncError (or let the sink's
 * {@link TextLimitReached} signal through, which the dispatcher turns into a truncated result).
 */
import { BotsyncError, isBotsyncError } from "../../errors.js";
import type { RandomAccessBytes } from "./random-access.js";

export interface ExtractLimits {
  /** Largest input accepted, in bytes (KB_DOCUMENT_TOO_LARGE above it). */
  maxBytes: number;
  /** Extracted text is cut at this many UTF-16 code units (meta.truncated = true). */
  maxExtractedChars: number;
  /** Wall-clock limit for one document (KB_EXTRACTION_TIMEOUT). */
  timeoutMs: number;
  /** ZIP formats: most entries an archive may list. */
  maxZipEntries: number;
  /** ZIP formats: most bytes the archive may declare, in total, and most bytes we inflate from it. */
  maxUncompressedBytes: number;
  /** ZIP formats: most uncompressed/compressed ratio of one entry larger than ZIP_RATIO_GRACE_BYTES. */
  maxCompressionRatio: number;
}

export interface ExtractMeta {
  pages?: number;
  sheets?: number;
  slides?: number;
  /** The text was cut at limits.maxExtractedChars. */
  truncated?: boolean;
  /** Things the job may want to show (e.g. "not UTF-8; decoded as Windows-1252"). */
  warnings?: string[];
}

export interface ExtractResult {
  text: string;
  meta: ExtractMeta;
}

export interface ExtractContext {
  limits: ExtractLimits;
  deadline: Deadline;
  sink: TextSink;
  meta: ExtractMeta;
  warn(message: string): void;
}

/**
 * A format read from the whole file in memory at once (PDF.js needs the whole document; YAML a full parse).
 * The bytes are the extractor's own (a buffer nobody else holds): it may hand them on without a copy, and
 * PDF.js detaches them.
 */
export type Extractor = (bytes: Uint8Array, ctx: ExtractContext) => void | Promise<void>;

/** A format read at offsets, part by part (ZIP: the directory at the end says where each part is). */
export type RandomAccessExtractor = (file: RandomAccessBytes, ctx: ExtractContext) => void | Promise<void>;

/**
 * A format read as its bytes arrive: `write` gets each piece, `end` the end of the file. Either may throw
 * TextLimitReached, after which nothing more is read. `warnings` is asked for in every case, also after a stop.
 */
export interface StreamingExtraction {
  write(bytes: Uint8Array): void;
  end(): void;
  warnings(): string[];
}

export type StreamingExtractor = (ctx: ExtractContext) => StreamingExtraction;

// ---------------------------------------------------------------------------------------------------------
// errors

export function extractionFailed(reason: string, cause?: unknown): BotsyncError {
  return new BotsyncError("KB_EXTRACTION_FAILED", reason, cause === undefined ? {} : { cause });
}

/** Thrown by the sink when the text limit is reached: not an error, a request to stop early. */
export class TextLimitReached extends Error {
  constructor() {
    super("extracted text limit reached");
    this.name = "TextLimitReached";
  }
}

/** Errors that must pass through extractor wrappers unchanged. */
export function isExtractionSignal(error: unknown): boolean {
  return isBotsyncError(error) || error instanceof TextLimitReached;
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

// ---------------------------------------------------------------------------------------------------------
// deadline

/**
 * Cooperative time limit. The dispatcher also races the extractor against a timer, but a synchronous parser
 * step cannot be interrupted on the same thread (and the timer cannot even fire while one runs): extractors
 * therefore work in bounded steps (≤ 1 MiB of markup text, ≤ 32 KiB of compressed input or one ≤ 64 KiB
 * ZIP entry, one PDF page, 65,536 JSON/YAML leaves) and call `check()` between them, so an expired document
 * stops within one step and frees the thread. Steps that are not split: the YAML parse (bounded by its size
 * cap, 1 MiB) and JSON.parse of one jsonl line. On Node, a caller that must bound even a
 * single pathological step should run extraction in a worker thread (`node:worker_threads`) and terminate
 * it on timeout; in workerd the isolate's CPU limit is the backstop (and `Date.now()` only advances across
 * I/O there, so the cooperative checks do not fire — the timer race still does at every await).
 */
export class Deadline {
  private readonly at: number;
  private expiredFlag = false;

  constructor(readonly timeoutMs: number) {
    this.at = Date.now() + timeoutMs;
  }

  expire(): void {
    this.expiredFlag = true;
  }

  get expired(): boolean {
    if (!this.expiredFlag && Date.now() > this.at) this.expiredFlag = true;
    return this.expiredFlag;
  }

  check(): void {
    if (this.expired) throw timeoutError(this.timeoutMs);
  }
}

export function timeoutError(timeoutMs: number): BotsyncError {
  return new BotsyncError("KB_EXTRACTION_TIMEOUT", `text extraction took longer than ${timeoutMs} ms`);
}

// ---------------------------------------------------------------------------------------------------------
// text sink

/** Collects text up to `maxChars` UTF-16 code units; the push that crosses the limit throws TextLimitReached. */
export class TextSink {
  private readonly parts: string[] = [];
  private size = 0;
  truncated = false;

  constructor(readonly maxChars: number) {}

  get length(): number {
    return this.size;
  }

  push(text: string): void {
    if (text.length === 0) return;
    if (this.truncated) throw new TextLimitReached();
    const room = this.maxChars - this.size;
    if (text.length <= room) {
      this.parts.push(text);
      this.size += text.length;
      return;
    }
    let cut = room;
    // do not split a surrogate pair
    const c = text.charCodeAt(cut - 1);
    if (cut > 0 && c >= 0xd800 && c <= 0xdbff) cut--;
    if (cut > 0) this.parts.push(text.slice(0, cut));
    this.size += cut;
    this.truncated = true;
    throw new TextLimitReached();
  }

  text(): string {
    return this.parts.join("");
  }

  /** Forgets everything pushed so far (a format that falls back to reading the document another way). */
  reset(): void {
    this.parts.length = 0;
    this.size = 0;
    this.truncated = false;
  }
}

/**
 * Builds text line by line for markup formats: inline pieces are appended, `space()` separates cells,
 * `flush()` ends a line (block boundary). Each line has its white space collapsed and trimmed; empty lines
 * are dropped. Cleaning collapses all white space again before chunking — this only makes the extracted
 * text readable (and the tests exact).
 *
 * A line is written to the sink in parts once it holds LINE_PART_CHARS characters: a document whose text is
 * one endless paragraph (a docx with hundreds of MiB in one `w:p`) must reach the text limit and stop there,
 * not pile up in memory until the line ends. Parts of 64 K characters keep the joined and collapsed
 * temporaries in V8's young generation, where they die young (1 MiB parts went to large-object space and
 * stayed there until a full collection: ~15 MB more at the peak, and slower).
 */
export const LINE_PART_CHARS = 1 << 16;

export class LineBuilder {
  private pieces: string[] = [];
  private pending = 0;
  /** part of the current line is already in the sink (so its start is not trimmed again) */
  private started = false;

  constructor(private readonly sink: TextSink) {}

  append(text: string): void {
    if (text.length === 0) return;
    this.pieces.push(text);
    this.pending += text.length;
    if (this.pending >= LINE_PART_CHARS) this.writePart();
  }

  space(): void {
    this.pieces.push(" ");
    this.pending++;
  }

  flush(): void {
    const continued = this.started;
    if (this.pieces.length === 0 && !continued) return;
    const collapsed = this.take();
    const line = continued ? collapsed.trimEnd() : collapsed.trim();
    this.started = false;
    if (line.length > 0 || continued) this.sink.push(line + "\n");
  }

  /** Flushes, then adds an empty line (a boundary between pages, slides, sheets). */
  paragraphBreak(): void {
    this.flush();
    this.sink.push("\n");
  }

  /** Writes what the line holds so far, keeping a trailing space back (it may turn out to end the line). */
  private writePart(): void {
    let part = this.take();
    if (!this.started) part = part.trimStart();
    if (part.endsWith(" ")) {
      part = part.slice(0, -1);
      this.pieces.push(" ");
      this.pending = 1;
    }
    if (part.length === 0) return;
    this.started = true;
    this.sink.push(part);
  }

  private take(): string {
    const text = this.pieces.join("").replace(/\s+/g, " ");
    this.pieces = [];
    this.pending = 0;
    return text;
  }
}
