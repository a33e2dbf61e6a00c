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
  maxBytes: number;
  apply(input: { job: ClaimedJob; bytes: Uint8Array; etag: string }, tx: JobTx): Promise<{ diagnostics: ObjectDiagnostic[] }>;
  remove(input: { job: ClaimedJob }, tx: JobTx): Promise<void>;
}

export type ObjectJobHandlers = ReadonlyMap<ObjectKind, ObjectJobHandler>;

export function handlerRegistry(handlers: ObjectJobHandler[]): ObjectJobHandlers {
  return new Map(handlers.map((h) => [h.kind, h]));
}
