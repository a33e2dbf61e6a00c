import { Worker } from "node:worker_threads";
import { BotsyncError, type ErrorCode } from "../../core/errors.js";
import type { KbFormat } from "../../core/kb/kb-format.js";
import type { DocumentExtractor } from "../../core/ports/document-extractor.js";

type Reply = { id: number; ok: true; text: string } | { id: number; ok: false; code: ErrorCode; message: string };

/**
 * Extraction in worker threads: a CPU-bound parser never stalls the event loop that serves webhooks and
 * config/dialog jobs; a parser stuck past the time limit is terminated (a timer on the same thread could not
 * interrupt it) and its thread replaced; a crash ends the thread, not the service. Threads are kept and
 * reused — starting one costs far more than extracting a small document.
 */
export class ThreadExtractor implements DocumentExtractor {
  private readonly idle: Worker[] = [];
  private nextId = 1;

  constructor(
    private readonly timeoutMs = 120_000,
    private readonly maxHeapMb = 1024,
  ) {}

  async extract(format: KbFormat, bytes: Uint8Array): Promise<{ text: string }> {
    const worker = this.idle.pop() ?? this.spawn();
    const id = this.nextId++;
    let broken = false;
    try {
      const text = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          broken = true;
          cleanup();
          void worker.terminate();
          reject(new BotsyncError("KB_EXTRACTION_TIMEOUT", `text extraction took longer than ${this.timeoutMs / 1000} s`));
        }, this.timeoutMs);
        const onMessage = (reply: Reply) => {
          if (reply.id !== id) return;
          cleanup();
          if (reply.ok) resolve(reply.text);
          else reject(new BotsyncError(reply.code, reply.message));
        };
        const onError = (error: Error) => {
          broken = true;
          cleanup();
          reject(new BotsyncError("KB_EXTRACTION_FAILED", `the extractor failed: ${error.message}`));
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
        worker.on("message", onMessage).once("error", onError).once("exit", onExit);
        worker.postMessage({ id, format, bytes });
      });
      return { text };
    } finally {
      // A document the extractor rejected leaves a healthy thread; one that timed out or crashed is dropped.
      if (broken) void worker.terminate();
      else this.idle.push(worker);
    }
  }

  /** Stops the idle threads (shutdown). */
  async close(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((w) => w.terminate()));
  }

  private spawn(): Worker {
    const worker = new Worker(new URL("./extract-thread.mjs", import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb },
    });
    // An idle thread must not keep the process alive.
    worker.unref();
    return worker;
  }
}
