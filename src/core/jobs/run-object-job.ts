/**
 * One object job: read the object as it is now, apply it (or its removal), record the ETag of the bytes
 * actually read. The notification that queued the job is only a hint — a stale or reordered event can make
 * a job run, but never makes it apply anything but the bucket's current state.
 */
import { BotsyncError, errorText, isBotsyncError } from "../errors.js";
import type { Drive } from "../ports/drive.js";
import type { Logger } from "../ports/logger.js";
import type { JobStore } from "../ports/state-store.js";
import type { ClaimedJob, ObjectDiagnostic } from "./job-types.js";
import { retryDelayMs } from "./job-types.js";
import type { ObjectJobHandlers } from "./object-job-handler.js";

export type JobRunOutcome = "applied" | "removed" | "unchanged" | "superseded" | "retry" | "failed" | "lease-lost";

export interface JobDeps {
  drive: Drive;
  jobs: JobStore;
  handlers: ObjectJobHandlers;
  owner: string;
  log: Logger;
}

export async function runObjectJob(job: ClaimedJob, deps: JobDeps): Promise<JobRunOutcome> {
  const { drive, jobs, handlers, owner } = deps;
  const log = deps.log.child({ bot: job.bot, path: job.filePath });
  const handler = handlers.get(job.kind);
  let readEtag: string | undefined;
  try {
    if (!handler) throw new BotsyncError("INTERNAL", `no job handler for ${job.kind} objects`);
    const maxBytes = typeof handler.maxBytes === "function" ? handler.maxBytes(job) : handler.maxBytes;
    const object = await drive.getObject(job.bucket, job.key, maxBytes);
    if (!object) {
      await handler.prepareRemove?.({ job });
      const done = await jobs.complete(job, owner, async (tx) => {
        await handler.remove({ job }, tx);
        return { removed: true };
      });
      log.info("object removed", { outcome: done });
      return done === "done" ? "removed" : "superseded";
    }
    readEtag = object.etag;
    const read = { removed: false as const, etag: object.etag, size: object.size, lastModified: object.lastModified };
    if (object.etag === job.processedEtag && !job.reprocess) {
      const done = await jobs.complete(job, owner, async () => ({ ...read, diagnostics: [] }));
      return done === "done" ? "unchanged" : "superseded";
    }
    const started = Date.now();
    let diagnosticCount = 0;
    const prepared = await handler.prepare?.({ job, bytes: object.bytes, etag: object.etag });
    const done = await jobs.complete(job, owner, async (tx) => {
      const { diagnostics } = await handler.apply({ job, bytes: object.bytes, etag: object.etag, prepared }, tx);
      diagnosticCount = diagnostics.length;
      return { ...read, diagnostics };
    });
    log.info("object applied", { etag: object.etag, ms: Date.now() - started, diagnostics: diagnosticCount, outcome: done });
    return done === "done" ? "applied" : "superseded";
  } catch (error) {
    return recordFailure(job, deps, log, error, readEtag);
  }
}

async function recordFailure(
  job: ClaimedJob,
  deps: JobDeps,
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
