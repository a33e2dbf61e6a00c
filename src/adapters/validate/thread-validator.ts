import type { SourceValidator } from "../../core/ports/source-validator.js";
import type { ValidationResult } from "../../core/validate/validate-source.js";
import { WorkerPool } from "../threads/worker-pool.js";

/**
 * `POST /api/validate` compiles in worker threads: compiling a large script takes tens of milliseconds of
 * CPU, and eight of them at once on the request thread held /health for over a second. Two threads, a few
 * requests waiting, the rest refused with 503 (SERVICE_BUSY) rather than queued without bound.
 */
export class ThreadValidator implements SourceValidator {
  private readonly pool = new WorkerPool<Parameters<SourceValidator["validate"]>[0], ValidationResult>({
    script: new URL("./validate-thread.mjs", import.meta.url),
    name: "validation",
    size: 2,
    maxQueue: 16,
    timeoutMs: 10_000,
    timeoutCode: "SERVICE_BUSY",
    failureCode: "INTERNAL",
    maxHeapMb: 256,
  });

  validate(input: Parameters<SourceValidator["validate"]>[0]): Promise<ValidationResult> {
    return this.pool.run(input);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
