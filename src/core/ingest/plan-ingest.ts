/**
 * Deciding what a notification means for one object, given what we already know. Events are hints and
 * arrive duplicated, late and out of order; the job always re-reads the bucket, so this only has to avoid
 * needless work and never move state backwards.
 *
 * "Stale" is the only outcome that drops an event on the strength of its sequencer, so it is narrow:
 * - a sequencer orders the events of one object from one source at best (a MinIO deployment's node
 *   clocks, one radosgw process, AWS); it is only compared with the stored sequencer of the same object
 *   from the same source. One event from a clock that runs ahead (or another server, or a fixture) must
 *   not make every later event of that object "stale" for good;
 * - an event whose ETag differs from the last processed one is never stale: the job reads the object as
 *   it is now, so running it for an out-of-order event is harmless, while dropping it could leave a change
 *   waiting for reconcile.
 *
 * planIngest is where these rules are stated and unit-tested. The webhook's hot path applies the same rules
 * inside its one SQL statement (src/adapters/db/ingest-store.ts), so that an event costs one round trip;
 * test/integration/ingest-one-statement.test.ts holds the two to the same outcomes for every case.
 */
import type { SyncStatus } from "../jobs/job-types.js";
import type { IngestOutcome } from "../ports/ingest-store.js";

export interface StoredObjectState {
  present: boolean;
  etag: string | null;
  processedEtag: string | null;
  status: SyncStatus;
  sequencer: string | null;
  /** whose clock `sequencer` is (see parse-notification's sequencerSourceOf); null for rows from before */
  sequencerSource: string | null;
}

export interface IngestEvent {
  action: "upsert" | "remove";
  etag?: string;
  sequencer?: string;
  sequencerSource?: string;
}

export function planIngest(prev: StoredObjectState | null, event: IngestEvent): IngestOutcome {
  if (prev && isStale(prev, event)) {
    return { outcome: "stale", reason: staleReason(event.sequencerSource!, prev.sequencer!) };
  }
  if (event.action === "remove") {
    if (!prev) return { outcome: "duplicate", reason: DUPLICATE_REASONS.untrackedRemoval };
    if (!prev.present) return { outcome: "duplicate", reason: DUPLICATE_REASONS.removalRecorded };
    return { outcome: "queued", freshTry: true };
  }
  if (prev && prev.present && event.etag !== undefined && prev.etag === event.etag) {
    return { outcome: "duplicate", reason: DUPLICATE_REASONS[prev.status] };
  }
  // Only a new version earns a fresh try; an event without an ETag (a Copy from some servers) re-checks the
  // object but keeps the backoff of a failing one.
  const freshTry = !prev || !prev.present || (event.etag !== undefined && prev.etag !== event.etag);
  return { outcome: "queued", freshTry };
}

/**
 * The reasons the event log gives. Exported because the Postgres adapter takes the same decision inside its
 * one-statement write (src/adapters/db/ingest-store.ts) and must log the same words.
 */
export const DUPLICATE_REASONS: Record<SyncStatus | "untrackedRemoval" | "removalRecorded", string> = {
  untrackedRemoval: "object is not tracked; nothing to remove",
  removalRecorded: "removal already recorded",
  pending: "this ETag is already queued",
  synced: "this ETag is already processed",
  retry: "this ETag is already queued for a retry",
  failed: "this ETag already failed permanently; upload a changed file to retry",
};

export function staleReason(source: string, storedSequencer: string): string {
  return `older than the last event from ${source} for this object (sequencer ${storedSequencer})`;
}

function isStale(prev: StoredObjectState, event: IngestEvent): boolean {
  if (!event.sequencer || !prev.sequencer || !event.sequencerSource) return false;
  if (event.sequencerSource !== prev.sequencerSource) return false;
  if (event.etag !== undefined && event.etag !== prev.processedEtag) return false;
  return event.sequencer < prev.sequencer;
}
