import { tmpdir } from "node:os";
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { BotsyncError, errorText, isBotsyncError } from "../../core/errors.js";
import { unpackChunks } from "../../core/kb/extract-document.js";
import { checkSize, isSpooledFormat } from "../../core/kb/extract/extract.js";
import type { KbFormat } from "../../core/kb/kb-format.js";
import type { DocumentExtractor, ExtractedDocument, ExtractionRequest } from "../../core/ports/document-extractor.js";
import type { Logger } from "../../core/ports/logger.js";
import type { BodyReply, BodyRequest, ThreadReply, ThreadRequest } from "./extract-thread-protocol.js";
import { reclaimHeap } from "./reclaim-heap.js";
import { openSpoolFile, type SpoolFile } from "./spool-file.js";

export interface ThreadExtractorOptions {
  /** a document's time limit, after which its thread is terminated (120 s) */
  timeoutMs?: number;
  /**
   * the threads' JavaScript heap (old generation, 128 MB). It is what bounds the service's memory
   * whatever a document holds: a document whose parse needs more (a YAML file over its cap builds a syntax
   * tree of hundreds of MB) fails with KB_EXTRACTION_FAILED instead of growing the service. The formats
   * need less for 10M characters of text (measured: CSV, JSON, docx ≈ 50–75 MB, a 3,000-page PDF ≈ 90 MB,
   * and both still pass at 112 MB). The bytes of a PDF or YAML file are held outside the heap, up to their
   * format's cap. 160 MB let the service reach ~300 MB resident with a cap-sized xlsx or PDF.
   */
  maxHeapMb?: number;
  /**
   * the threads' young generation (8 MB). V8's default (tens of MiB) lets the short-lived strings of a
   * 10M-character document pile up between scavenges; 8 MiB keeps the service ~40 MB smaller while a large
   * document is extracted, for ~5 % more extraction time.
   */
  maxYoungMb?: number;
  /**
   * a thread that extracted a document of this size or more is ended afterwards and its heap freed (4 MiB:
   * measured, the service kept ~100 MB more after a cap-sized document otherwise; a new thread costs tens
   * of milliseconds, next to the seconds such a document takes)
   */
  retireAfterBytes?: number;
  /**
   * run before a document of retireAfterBytes or more is extracted (reclaim-heap.ts: a full collection of
   * this thread's heap, so the last large document's garbage is gone before the next one's memory is taken)
   */
  beforeLargeDocument?: () => number;
  /** where ZIP documents are spooled while they are read (the system's temp dir; better on disk: a tmpfs is memory) */
  spoolDir?: string;
}

/** How many recent documents a late report from a thread (a stray rejection) can still be logged against. */
const REMEMBERED_DOCUMENTS = 64;

/**
 * Extraction, cleaning and chunking in worker threads: a CPU-bound parser never stalls the event loop that
 * serves /health, webhooks and config/dialog jobs; a parser stuck past the time limit is terminated (a
 * timer on the same thread could not interrupt it) and its thread replaced; a crash ends the thread, not
 * the service. Threads are kept and reused — starting one costs far more than extracting a small document.
 *
 * The document never exists whole on this thread: the thread pulls the body piece by piece over a
 * MessagePort, and each piece is copied once into a buffer of its own that is TRANSFERRED (moved, not
 * cloned) to the thread — the drive's own buffers are never transferred, they may be shared with the socket.
 * The thread stops pulling at the text limit and cancels the rest, which ends the download. A ZIP document
 * (docx, xlsx, pptx), whose directory is at its end, is written as it downloads to a file under `spoolDir`
 * (spool-file.ts: nameless, so nothing outlives the document; the drive's buffers go straight to it, with
 * no copy for a thread) and the thread reads it back part by part, so neither thread ever holds it whole.
 */
export class ThreadExtractor implements DocumentExtractor {
  private readonly idle: Worker[] = [];
  private nextId = 1;
  private readonly recent = new Map<number, Logger>();

  private readonly timeoutMs: number;
  private readonly maxHeapMb: number;
  private readonly maxYoungMb: number;
  private readonly spoolDir: string;
  private readonly retireAfterBytes: number;
  private readonly beforeLargeDocument: () => number;

  constructor(options: ThreadExtractorOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.maxHeapMb = options.maxHeapMb ?? 128;
    this.maxYoungMb = options.maxYoungMb ?? 8;
    this.spoolDir = options.spoolDir ?? tmpdir();
    this.retireAfterBytes = options.retireAfterBytes ?? 4 * 1024 * 1024;
    this.beforeLargeDocument = options.beforeLargeDocument ?? reclaimHeap;
  }

  async extract({ format, body, size: declaredSize, chunking, log }: ExtractionRequest): Promise<ExtractedDocument> {
    let size = declaredSize;
    const input = body.getReader();
    let spool: SpoolFile | undefined;
    try {
      spool = isSpooledFormat(format) ? await openSpoolFile(this.spoolDir) : undefined;
    } catch (error) {
      await input.cancel().catch(() => undefined);
      throw new BotsyncError("KB_EXTRACTION_FAILED", `cannot open a file to read the document from in ${this.spoolDir}: ${errorText(error)}`, { retryable: true });
    }
    if (spool !== undefined) {
      try {
        size = await downloadTo(spool, input, format, this.timeoutMs);
      } catch (error) {
        await input.cancel().catch(() => undefined);
        await spool.close();
        throw error;
      }
    }
    if (size >= this.retireAfterBytes) {
      const ms = this.beforeLargeDocument();
      log.debug("heap collected before a large document", { ms: Math.round(ms), bytes: size });
    }
    const worker = this.idle.pop() ?? this.spawn();
    const id = this.nextId++;
    this.remember(id, log);
    const { port1, port2 } = new MessageChannel();
    let readError: unknown;
    let broken = false;
    try {
      return await new Promise<ExtractedDocument>((resolve, reject) => {
        const timer = setTimeout(() => {
          broken = true;
          cleanup();
          void worker.terminate();
          reject(new BotsyncError("KB_EXTRACTION_TIMEOUT", `text extraction took longer than ${this.timeoutMs / 1000} s`));
        }, this.timeoutMs);
        const onMessage = (reply: ThreadReply) => {
          if (reply.type !== "result" || reply.id !== id) return;
          cleanup();
          if (reply.ok) {
            const { text, bounds, ...rest } = reply.document;
            resolve({ ...rest, chunks: unpackChunks(text, bounds) });
          }
          // a body that failed to download fails the job as the drive's (retryable) error, not as the document's
          else if (readError !== undefined) reject(readError);
          else reject(new BotsyncError(reply.code, reply.message));
        };
        const onError = (error: Error) => {
          broken = true;
          cleanup();
          if ((error as { code?: unknown }).code === "ERR_WORKER_OUT_OF_MEMORY") {
            reject(new BotsyncError("KB_EXTRACTION_FAILED", `extracting this document needs more than the ${this.maxHeapMb} MB of memory that extraction may use`));
          } else reject(new BotsyncError("KB_EXTRACTION_FAILED", `the extractor failed: ${error.message}`));
        };
        const onExit = (code: number) => {
          broken = true;
          cleanup();
          reject(new BotsyncError("KB_EXTRACTION_FAILED", `the extractor stopped (exit code ${code}) before answering`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          worker.off("message", onMessage).off("error", onError).off("exit", onExit);
        };
        serveBody(port1, input, (error) => (readError = error));
        worker.on("message", onMessage).once("error", onError).once("exit", onExit);
        const request: ThreadRequest = { type: "extract", id, format, size, chunking, port: port2, spoolFd: spool?.fd };
        worker.postMessage(request, [port2]);
      });
    } finally {
      port1.close();
      // a no-op once the body was read to its end; otherwise it ends the download
      await input.cancel().catch(() => undefined);
      // A document the extractor rejected leaves a healthy thread; one that timed out or crashed is dropped,
      // and it is gone before its spool's descriptor is closed: the number could otherwise be reused by
      // another file while the dying thread still writes to it. A thread that read a large document is
      // retired too: V8 keeps the heap it grew to (up to maxHeapMb) long after the document, and the next
      // large one would come on top of it.
      if (broken || size >= this.retireAfterBytes) await worker.terminate();
      else this.idle.push(worker);
      await spool?.close();
    }
  }

  /** Stops the idle threads (shutdown). */
  async close(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((w) => w.terminate()));
  }

  private remember(id: number, log: Logger): void {
    this.recent.set(id, log);
    for (const old of this.recent.keys()) {
      if (this.recent.size <= REMEMBERED_DOCUMENTS) break;
      this.recent.delete(old);
    }
  }

  private spawn(): Worker {
    const worker = new Worker(new URL("./extract-thread.mjs", import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb, maxYoungGenerationSizeMb: this.maxYoungMb },
    });
    // PDF.js can reject a promise nobody awaits after it has already reported its failure; the thread tells
    // us once per document, and it is logged against that document (path, never content) instead of lost.
    worker.on("message", (reply: ThreadReply) => {
      if (reply.type !== "stray-rejection") return;
      this.recent.get(reply.id)?.warn("the extraction thread had an unhandled promise rejection (logged once per document)", { error: reply.error });
    });
    // An idle thread must not keep the process alive.
    worker.unref();
    return worker;
  }
}

/**
 * Writes the whole body to the spool file as it downloads, within the extraction's time limit; returns its
 * length. A body longer than the format's cap is KB_DOCUMENT_TOO_LARGE, a drive failure the drive's
 * (retryable) error.
 */
async function downloadTo(spool: SpoolFile, input: ReadableStreamDefaultReader<Uint8Array>, format: KbFormat, timeoutMs: number): Promise<number> {
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    void input.cancel().catch(() => undefined);
  }, timeoutMs);
  try {
    for (let size = 0; ; ) {
      let piece: ReadableStreamReadResult<Uint8Array>;
      try {
        piece = await input.read();
      } catch (error) {
        throw isBotsyncError(error) ? error : new BotsyncError("DRIVE_UNAVAILABLE", `reading the document failed: ${errorText(error)}`, { retryable: true });
      }
      if (expired) throw new BotsyncError("KB_EXTRACTION_TIMEOUT", `text extraction took longer than ${timeoutMs / 1000} s (downloading the document)`);
      if (piece.done) return size;
      checkSize(format, size + piece.value.length);
      await spool.write(piece.value, size);
      size += piece.value.length;
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Answers the thread's pulls with the body's pieces, one at a time; a cancel from the thread ends the body. */
function serveBody(port: MessagePort, input: ReadableStreamDefaultReader<Uint8Array>, onReadError: (error: unknown) => void): void {
  const reply = (message: BodyReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  port.on("message", async (request: BodyRequest) => {
    if (request.type === "cancel") {
      await input.cancel().catch(() => undefined);
      return;
    }
    try {
      const { value, done } = await input.read();
      if (done) return reply({ type: "end" });
      const piece = new Uint8Array(value);
      reply({ type: "piece", bytes: piece }, [piece.buffer]);
    } catch (error) {
      onReadError(isBotsyncError(error) ? error : new BotsyncError("DRIVE_UNAVAILABLE", `reading the document failed: ${errorText(error)}`, { retryable: true }));
      reply({ type: "error", message: errorText(error) });
    }
  });
}

