import type { DriveObjectInfo } from "../ports/drive.js";
import type { Logger } from "../ports/logger.js";
import type { ClaimedJob, ObjectDiagnostic } from "./job-types.js";

interface HandlerCommon<Store> {
  /** larger objects fail with OBJECT_TOO_LARGE without being downloaded */
  maxBytes: number | ((job: ClaimedJob) => number);
  /** like `prepare`, for a removal */
  prepareRemove?(input: { job: ClaimedJob }): Promise<void>;
  remove(input: { job: ClaimedJob }, store: Store): Promise<void>;
}

/**
 * What happens to one kind of object whose bytes fit in memory (config.csv, dialogs: 1 MiB at most): the
 * runner downloads the object and hands over its bytes. `apply` and `remove` make all their database writes
 * through `store` — the kind's own store, bound to the transaction that also records the job as processed:
 * a job is applied whole or not at all. They throw a BotsyncError: retryable → backoff, otherwise the object
 * is failed until its ETag changes.
 */
export interface BytesObjectJobHandler<Store, Prepared = unknown> extends HandlerCommon<Store> {
  read?: "bytes";
  /**
   * Work that must not run inside the job's transaction (a secret store's answer, extraction, embedding):
   * it runs first, and its result reaches `apply` as `prepared`.
   */
  prepare?(input: { job: ClaimedJob; bytes: Uint8Array; etag: string; log: Logger }): Promise<Prepared>;
  apply(input: { job: ClaimedJob; bytes: Uint8Array; etag: string; prepared?: Prepared }, store: Store): Promise<{ diagnostics: ObjectDiagnostic[] }>;
}

/**
 * A kind whose objects may be far larger than the memory a job may take (knowledge-base documents): the
 * runner reads the object's metadata first (no body), lets `admit` refuse it from that alone, checks its
 * size, and only then opens the body as a stream for `prepare`, which reads it as far as it needs.
 */
export interface StreamObjectJobHandler<Store, Prepared extends { diagnostics: ObjectDiagnostic[] } = { diagnostics: ObjectDiagnostic[] }>
  extends HandlerCommon<Store> {
  read: "stream";
  /** Refuses an object from its key and metadata alone (a format it cannot read), before any byte is fetched. */
  admit?(job: ClaimedJob, info: DriveObjectInfo): void;
  /** Runs outside the job's transaction. It reads `body` or cancels it; the runner cancels it when left unread. */
  prepare(input: { job: ClaimedJob; body: ReadableStream<Uint8Array>; size: number; etag: string; log: Logger }): Promise<Prepared>;
  apply(input: { job: ClaimedJob; etag: string; prepared: Prepared }, store: Store): Promise<{ diagnostics: ObjectDiagnostic[] }>;
}

export type ObjectJobHandler<Store> = BytesObjectJobHandler<Store, any> | StreamObjectJobHandler<Store, any>;
