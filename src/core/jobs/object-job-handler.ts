import type { ObjectKind } from "../paths/classify-object.js";
import type { JobTx } from "../ports/state-store.js";
import type { ClaimedJob, ObjectDiagnostic } from "./job-types.js";

/**
 * What happens to one kind of object. `apply` and `remove` make all their database writes through `tx`,
 * inside the transaction that also records the job as processed: a job is applied whole or not at all.
 * They throw a BotsyncError: retryable → backoff, otherwise the object is failed until its ETag changes.
 */
export interface ObjectJobHandler {
  kind: ObjectKind;
  /** larger objects fail with OBJECT_TOO_LARGE without being downloaded */
  maxBytes: number | ((job: ClaimedJob) => number);
  /**
   * Slow work that must not run inside the job's transaction (extraction, embedding, writes to an index
   * with its own transaction): it runs first, and its result reaches `apply` as `prepared`.
   */
  prepare?(input: { job: ClaimedJob; bytes: Uint8Array; etag: string }): Promise<{ diagnostics: ObjectDiagnostic[] }>;
  apply(
    input: { job: ClaimedJob; bytes: Uint8Array; etag: string; prepared?: { diagnostics: ObjectDiagnostic[] } },
    tx: JobTx,
  ): Promise<{ diagnostics: ObjectDiagnostic[] }>;
  /** like `prepare`, for a removal */
  prepareRemove?(input: { job: ClaimedJob }): Promise<void>;
  remove(input: { job: ClaimedJob }, tx: JobTx): Promise<void>;
}

export type ObjectJobHandlers = ReadonlyMap<ObjectKind, ObjectJobHandler>;

export function handlerRegistry(handlers: ObjectJobHandler[]): ObjectJobHandlers {
  return new Map(handlers.map((h) => [h.kind, h]));
}
