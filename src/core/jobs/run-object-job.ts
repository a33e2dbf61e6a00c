/**
 * One object job: read the object as it is now, apply it (or its removal), record the ETag of the bytes
 * actually read. The notification that queued the job is only a hint — a stale or reordered event can make
 * a job run, but never makes it apply anything but the bucket's current state.
 */
import { BotsyncError, errorText, isBotsyncError } from "../errors.js";
import { objectTooLargeError, type Drive, type DriveObjectInfo, type StreamingDrive } from "../ports/drive.js";
import type { Logger } from "../ports/logger.js";
import type { JobRunOutcome, JobStore } from "../ports/job-store.js";
import type { ClaimedJob, ObjectDiagnostic } from "./job-types.js";
import { retryDelayMs } from "./job-types.js";
import type { KindRegistry } from "./kind-registry.js";
import type { BytesObjectJobHandler, ObjectJobHandler, StreamObjectJobHandler } from "./object-job-handler.js";

export interface JobDeps<Tx> {
  drive: Drive & StreamingDrive;
  jobs: JobStore<Tx>;
  kinds: KindRegistry<Tx>;
  owner: string;
  log: Logger;
}

/** A handler of any kind, with its store already bound to the job's transaction by `store(tx)`. */
interface Bound<Tx> {
  handler: ObjectJobHandler<unknown>;
  store(tx: Tx): unknown;
}

/** What one run has seen of the object: the ETag a failure is recorded against. */
interface Seen {
  etag?: string;
}

export async function runObjectJob<Tx>(job: ClaimedJob, deps: JobDeps<Tx>): Promise<JobRunOutcome> {
  const log = deps.log.child({ bot: job.bot, path: job.filePath });
  const registration = deps.kinds.registration(job.kind);
  const seen: Seen = {};
  try {
    if (!registration) throw new BotsyncError("INTERNAL", `no job handles ${job.kind} objects`);
    const run: Run<Tx> = { job, deps, log, seen, store: (tx) => registration.store(tx) };
    const handler = registration.kind.handler;
    const maxBytes = typeof handler.maxBytes === "function" ? handler.maxBytes(job) : handler.maxBytes;
    return handler.read === "stream" ? await runStreamed(run, handler, maxBytes) : await runBuffered(run, handler, maxBytes);
  } catch (error) {
    return recordFailure(job, deps, log, error, seen.etag);
  }
}

/** One run of one job: what every step needs, with the kind's store bound to the job's transaction by `store`. */
interface Run<Tx> {
  job: ClaimedJob;
  deps: JobDeps<Tx>;
  log: Logger;
  seen: Seen;
  store(tx: Tx): unknown;
}

async function runBuffered<Tx>(run: Run<Tx>, handler: BytesObjectJobHandler<unknown, unknown>, maxBytes: number): Promise<JobRunOutcome> {
  const { job, deps, log } = run;
  const object = await deps.drive.getObject(job.bucket, job.key, maxBytes);
  if (!object) return removeObject(run, handler);
  run.seen.etag = object.etag;
  if (object.etag === job.processedEtag && !job.reprocess) return unchanged(run, object);
  const started = Date.now();
  const prepared = await handler.prepare?.({ job, bytes: object.bytes, etag: object.etag, log });
  return applyObject(run, object, started, (store) => handler.apply({ job, bytes: object.bytes, etag: object.etag, prepared }, store));
}

/**
 * Format and size are checked from the object's metadata before a byte of it is fetched; the body is then
 * streamed to `prepare` and never held here. Whatever `prepare` leaves unread is cancelled, which ends the
 * download.
 */
async function runStreamed<Tx>(run: Run<Tx>, handler: StreamObjectJobHandler<unknown, { diagnostics: ObjectDiagnostic[] }>, maxBytes: number): Promise<JobRunOutcome> {
  const { job, deps, log } = run;
  const info = await deps.drive.statObject(job.bucket, job.key);
  if (!info) return removeObject(run, handler);
  run.seen.etag = info.etag;
  if (info.etag === job.processedEtag && !job.reprocess) return unchanged(run, info);
  handler.admit?.(job, info);
  if (info.size > maxBytes) throw objectTooLargeError(`${job.bucket}/${job.key}`, info.size, maxBytes, info.etag);
  const object = await deps.drive.openObject(job.bucket, job.key, maxBytes);
  if (!object) return removeObject(run, handler);
  // the ETag of the bytes actually read, which may be newer than the HEAD's
  run.seen.etag = object.etag;
  const started = Date.now();
  let prepared: { diagnostics: ObjectDiagnostic[] };
  try {
    if (object.etag === job.processedEtag && !job.reprocess) return await unchanged(run, object);
    prepared = await handler.prepare({ job, body: object.body, size: object.size, etag: object.etag, log });
  } finally {
    if (!object.body.locked) await object.body.cancel().catch(() => undefined);
  }
  return applyObject(run, object, started, (store) => handler.apply({ job, etag: object.etag, prepared }, store));
}

async function removeObject<Tx>(run: Run<Tx>, handler: ObjectJobHandler<unknown>): Promise<JobRunOutcome> {
  const { job, deps, log } = run;
  await handler.prepareRemove?.({ job });
  const done = await deps.jobs.complete(job, deps.owner, async (tx) => {
    await handler.remove({ job }, run.store(tx));
    return { removed: true };
  });
  log.info("object removed", { outcome: done });
  return done === "done" ? "removed" : "superseded";
}

async function unchanged<Tx>(run: Run<Tx>, object: DriveObjectInfo): Promise<JobRunOutcome> {
  const done = await run.deps.jobs.complete(run.job, run.deps.owner, async () => ({ ...readOf(object), diagnostics: [] }));
  return done === "done" ? "unchanged" : "superseded";
}

async function applyObject<Tx>(
  run: Run<Tx>,
  object: DriveObjectInfo,
  started: number,
  apply: (store: unknown) => Promise<{ diagnostics: ObjectDiagnostic[] }>,
): Promise<JobRunOutcome> {
  let diagnosticCount = 0;
  const done = await run.deps.jobs.complete(run.job, run.deps.owner, async (tx) => {
    const { diagnostics } = await apply(run.store(tx));
    diagnosticCount = diagnostics.length;
    return { ...readOf(object), diagnostics };
  });
  run.log.info("object applied", { etag: object.etag, ms: Date.now() - started, diagnostics: diagnosticCount, outcome: done });
  return done === "done" ? "applied" : "superseded";
}

function readOf(object: DriveObjectInfo) {
  return { removed: false as const, etag: object.etag, size: object.size, lastModified: object.lastModified };
}

async function recordFailure<Tx>(
  job: ClaimedJob,
  deps: JobDeps<Tx>,
  log: Logger,
  error: unknown,
  readEtag: string | undefined,
): Promise<JobRunOutcome> {
  if (isBotsyncError(error) && error.code === "JOB_LEASE_LOST") {
    log.warn("job lease lost; another worker owns the object now");
    return "lease-lost";
  }
  // Unknown errors (a bug, an unexpected database error) are retried: giving up on them would lose a change.
  const permanent = isBotsyncError(error) && !error.retryable && error.code !== "INTERNAL";
  const etagFromError = isBotsyncError(error) && typeof error.details?.etag === "string" ? error.details.etag : undefined;
  // A content error (a BASIC syntax error…) carries the diagnostics the API shows next to the failure.
  const diagnostics = isBotsyncError(error) && Array.isArray(error.details?.diagnostics) ? (error.details.diagnostics as ObjectDiagnostic[]) : undefined;
  const attempts = job.attempts + 1;
  const retryInMs = retryDelayMs(attempts);
  const text = errorText(error);
  try {
    await deps.jobs.fail(job, deps.owner, { permanent, error: text, etag: readEtag ?? etagFromError, retryInMs, diagnostics });
  } catch (markError) {
    // The lease expires on its own, and the object is claimed again then.
    log.error("could not record job failure", { error: errorText(markError) });
  }
  if (permanent) log.warn("object failed", { error: text });
  else log.warn("object job will be retried", { error: text, attempts, retryInMs });
  return permanent ? "failed" : "retry";
}
