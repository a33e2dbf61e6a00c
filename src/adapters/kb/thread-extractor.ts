import { Worker } from "node:worker_threads";
import { BotsyncError, type ErrorCode } from "../../core/errors.js";
import type { KbFormat } from "../../core/kb/kb-format.js";
import type { DocumentExtractor } from "../../core/ports/document-extractor.js";

/**
 * Extraction in a worker thread, one per document: a CPU-bound parser then never stalls the event loop that
 * serves webhooks and config/dialog jobs, a parser stuck past the time limit is terminated (a timer on the
 * same thread could not interrupt it), and a crash — PDF.js can leave a stray rejection behind — ends the
 * thread, not the service.
 */
export class ThreadExtractor implements DocumentExtractor {
  constructor(
    private readonly timeoutMs = 120_000,
    private readonly maxHeapMb = 1024,
  ) {}

  extract(format: KbFormat, bytes: Uint8Array): Promise<{ text: string }> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(new URL("./extract-thread.mjs", import.meta.url), {
        workerData: { format, bytes },
        resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb },
      });
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        fn();
      };
      const timer = setTimeout(
        () => settle(() => reject(new BotsyncError("KB_EXTRACTION_TIMEOUT", `text extraction took longer than ${this.timeoutMs / 1000} s`))),
        this.timeoutMs,
      );
      worker.once("message", (message: { ok: true; text: string } | { ok: false; code: ErrorCode; message: string }) =>
        settle(() => (message.ok ? resolve({ text: message.text }) : reject(new BotsyncError(message.code, message.message)))),
      );
      worker.once("error", (error) =>
        settle(() => reject(new BotsyncError("KB_EXTRACTION_FAILED", `the extractor failed: ${error.message}`))),
      );
      worker.once("exit", (code) =>
        settle(() => reject(new BotsyncError("KB_EXTRACTION_FAILED", `the extractor stopped (exit code ${code}) before answering`))),
      );
    });
  }
}
