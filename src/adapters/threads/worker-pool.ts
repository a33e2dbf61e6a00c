import { Worker, type Transferable } from "node:worker_threads";
import { BotsyncError, type ErrorCode } from "../../core/errors.js";

export type ThreadReply<T> = { id: number; ok: true; value: T } | { id: number; ok: false; code: ErrorCode; message: string };

export interface WorkerPoolOptions {
  /** the thread's module (see serve-thread.ts) */
  script: URL;
  /** what the threads do, for error messages ("validation", "text extraction") */
  name: string;
  /** threads at most; they start on demand and are reused */
  size: number;
  /** requests waiting for a thread at most; more are refused with SERVICE_BUSY instead of piling up in memory */
  maxQueue: number;
  /** a request still running after this is stopped by terminating its thread */
  timeoutMs: number;
  timeoutCode: ErrorCode;
  failureCode: ErrorCode;
  maxHeapMb?: number;
}

/**
 * CPU-bound work off the event loop that serves webhooks and jobs: a bounded set of reused worker threads
 * and a bounded queue. A request that runs past its time limit is stopped by terminating its thread (a
 * timer on that thread could not interrupt it); a crash ends the thread, not the service.
 */
export class WorkerPool<Request, Result> {
  private readonly idle: Worker[] = [];
  private busy = 0;
  private readonly waiting: Array<() => void> = [];
  private nextId = 1;

  constructor(private readonly options: WorkerPoolOptions) {}

  async run(request: Request, transfer: Transferable[] = []): Promise<Result> {
    await this.acquire();
    const worker = this.idle.pop() ?? this.spawn();
    const id = this.nextId++;
    let broken = false;
    try {
      return await new Promise<Result>((resolve, reject) => {
        const timer = setTimeout(() => {
          broken = true;
          cleanup();
          reject(new BotsyncError(this.options.timeoutCode, `${this.options.name} took longer than ${this.options.timeoutMs / 1000} s`));
        }, this.options.timeoutMs);
        const onMessage = (reply: ThreadReply<Result>) => {
          if (reply.id !== id) return;
          cleanup();
          if (reply.ok) resolve(reply.value);
          else reject(new BotsyncError(reply.code, reply.message));
        };
        const onError = (error: Error) => {
          broken = true;
          cleanup();
          reject(new BotsyncError(this.options.failureCode, `${this.options.name} failed: ${error.message}`));
        };
        const onExit = (code: number) => {
          broken = true;
          cleanup();
          reject(new BotsyncError(this.options.failureCode, `${this.options.name} stopped (exit code ${code}) before answering`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          worker.off("message", onMessage).off("error", onError).off("exit", onExit);
        };
        worker.on("message", onMessage).once("error", onError).once("exit", onExit);
        worker.postMessage({ id, request }, transfer);
      });
    } finally {
      // A request the thread answered (even with an error) leaves a healthy thread; one that timed out or
      // crashed is dropped.
      if (broken) void worker.terminate();
      else this.idle.push(worker);
      this.release();
    }
  }

  /** Stops the idle threads (shutdown). */
  async close(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((w) => w.terminate()));
  }

  private async acquire(): Promise<void> {
    if (this.busy < this.options.size) {
      this.busy++;
      return;
    }
    if (this.waiting.length >= this.options.maxQueue) {
      throw new BotsyncError("SERVICE_BUSY", `${this.options.name} is busy (${this.options.size} running, ${this.waiting.length} waiting); try again shortly`, {
        retryable: true,
      });
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy--;
  }

  private spawn(): Worker {
    const worker = new Worker(this.options.script, this.options.maxHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb } } : {});
    // An idle thread must not keep the process alive.
    worker.unref();
    return worker;
  }
}
