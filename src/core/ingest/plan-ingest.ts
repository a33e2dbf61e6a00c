/**
 * Deciding what a notification means for one object, given what we already know. Events are hints and
 * arrive duplicated, late and out of order (reference/minio-workers.md A.3); the job always re-reads the
 * bucket, so this only has to avoid needless work and never move state backwards.
 */
import type { SyncStatus } from "../jobs/job-types.js";

export interface StoredObjectState {
  present: boolean;
  etag: string | null;
  processedEtag: string | null;
  status: SyncStatus;
  sequencer: string | null;
}

export type IngestOutcome =
  | { outcome: "queued"; freshTry: boolean }
  | { outcome: "duplicate" | "stale"; reason: string };

export function planIngest(
  prev: StoredObjectState | null,
  event: { action: "upsert" | "remove"; etag?: string; sequencer?: string },
): IngestOutcome {
  if (prev && event.sequencer && prev.sequencer && event.sequencer < prev.sequencer) {
    return { outcome: "stale", reason: `older than the last event seen for this object (sequencer ${prev.sequencer})` };
  }
  if (event.action === "remove") {
    if (!prev) return { outcome: "duplicate", reason: "object is not tracked; nothing to remove" };
    if (!prev.present) return { outcome: "duplicate", reason: "removal already recorded" };
    return { outcome: "queued", freshTry: true };
  }
  if (prev && prev.present && event.etag !== undefined && prev.etag === event.etag) {
    const why: Record<SyncStatus, string> = {
      pending: "this ETag is already queued",
      synced: "this ETag is already processed",
      retry: "this ETag is already queued for a retry",
      failed: "this ETag already failed permanently; upload a changed file to retry",
    };
    return { outcome: "duplicate", reason: why[prev.status] };
  }
  // Only a new version earns a fresh try; an event without an ETag (a Copy from some servers) re-checks the
  // object but keeps the backoff of a failing one.
  const freshTry = !prev || !prev.present || (event.etag !== undefined && prev.etag !== event.etag);
  return { outcome: "queued", freshTry };
}
