/**
 * Recording notifications durably, as the webhook's use case needs it. Implemented by the Postgres adapter
 * (src/adapters/db/ingest-store.ts); every method is atomic.
 */
import type { ClaimedJob, Lane } from "../jobs/job-types.js";

export interface BotRef {
  id: string;
  /** `bots.is_active`; the botserver does not monitor inactive bots and neither do we */
  active: boolean;
}

/** What a notification or a reconcile says about one object of a known kind. */
export interface ObjectSighting {
  botId: string;
  filePath: string;
  /** the object's kind, with what drive_files stores for it */
  kind: { name: string; fileType: string; lane: Lane };
  action: "upsert" | "remove";
  etag?: string;
  size?: number;
  sequencer?: string;
  /** whose clock `sequencer` is; stored with it, since sequencers of different sources never compare */
  sequencerSource?: string;
}

/** The notification as received, for the event log (`GET /api/events`). */
export interface EventMeta {
  source: "webhook" | "api";
  eventName: string;
  bucket: string;
  key: string;
  etag?: string;
  sequencer?: string;
}

/** What became of one record: queued (a job will sync the object), duplicate, stale, or ignored. */
export type RecordOutcome = "queued" | "duplicate" | "stale" | "ignored";

/** What an object event does to the object's state (decided by planIngest). */
export type IngestOutcome = { outcome: "queued"; freshTry: boolean } | { outcome: "duplicate" | "stale"; reason: string };

/** A lease to take on the object in the same statement that queues it, so this process can run its job at once. */
export interface LeaseRequest {
  owner: string;
  leaseMs: number;
}

/** `job`: the object was queued and leased to the requester (only when no one held a lease on it). */
export type RecordedOutcome = IngestOutcome & { job?: ClaimedJob };

export interface IngestStore {
  /** The `bots` row of a bot name, or null (cached briefly: the webhook's hot path). */
  findBot(name: string): Promise<BotRef | null>;
  /** Creates the `bots` row of a bucket that exists, or returns the one a concurrent call created. */
  createBot(name: string): Promise<BotRef>;
  /**
   * Records the event and, unless it is a duplicate or stale, queues the object — atomically. With `lease`,
   * the same write also leases the queued object to `lease.owner` when nobody holds a lease on it, and the
   * claimed job comes back with the outcome.
   */
  recordObjectEvent(sighting: ObjectSighting, meta: EventMeta, lease?: LeaseRequest): Promise<RecordedOutcome>;
  recordIgnoredEvent(meta: EventMeta, reason: string, botId?: string): Promise<void>;
}
