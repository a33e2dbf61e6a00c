/**
 * Durable state, as the use cases need it. The Postgres adapter (src/adapters/db/) implements these; every
 * method is one transaction, so a crash leaves either the old state or the new one.
 */
import type { ConfigDiagnostic, ConfigEntry } from "../config/parse-config-csv.js";
import type { ObjectKind } from "../paths/classify-object.js";
import type { ClaimedJob, Lane, ObjectDiagnostic } from "../jobs/job-types.js";
import type { IngestOutcome } from "../ingest/plan-ingest.js";
import type { BucketChanges, StoredObjectRow } from "../reconcile/plan-bucket.js";

export interface BotRef {
  id: string;
  /** `bots.is_active`; the botserver does not monitor inactive bots and neither do we */
  active: boolean;
}

/** What a notification or a reconcile says about one object. */
export interface ObjectSighting {
  botId: string;
  filePath: string;
  kind: ObjectKind;
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

export interface IngestStore {
  /** The `bots` row of a bot name, or null (cached briefly: the webhook's hot path). */
  findBot(name: string): Promise<BotRef | null>;
  /** Creates the `bots` row of a bucket that exists, or returns the one a concurrent call created. */
  createBot(name: string): Promise<BotRef>;
  /** Records the event and, unless it is a duplicate or stale, queues the object — in one transaction. */
  recordObjectEvent(sighting: ObjectSighting, meta: EventMeta): Promise<IngestOutcome>;
  recordIgnoredEvent(meta: EventMeta, reason: string, botId?: string): Promise<void>;
}

export interface ConfigApplySummary {
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** problems found while applying (e.g. a secret stored unencrypted because no master key is set) */
  diagnostics: ConfigDiagnostic[];
}

/** Writes a job makes, all inside the job's transaction. */
export interface JobTx {
  applyConfigFile(input: {
    botId: string;
    filePath: string;
    etag: string;
    entries: ConfigEntry[];
    diagnostics: ConfigDiagnostic[];
  }): Promise<ConfigApplySummary>;
  removeConfigFile(input: { botId: string; filePath: string }): Promise<{ deleted: number }>;
  /** The file that owns a tool name among the bot's active tools, or null when the name is free. */
  toolNameOwner(input: { botId: string; toolName: string }): Promise<string | null>;
  /** Upserts `basic_tools` (active, with both JSON definitions) and replaces the script's schedules. */
  applyDialog(input: {
    botId: string;
    filePath: string;
    toolName: string;
    astPath: string;
    mcp: unknown;
    tool: unknown;
    schedules: Array<{ cron: string }>;
  }): Promise<void>;
  /** Deactivates the script's `basic_tools` row and removes its schedules. */
  removeDialog(input: { botId: string; filePath: string; toolName: string }): Promise<void>;
}

export type JobResult =
  | { removed: true }
  | { removed: false; etag: string; size: number; lastModified?: Date; diagnostics: ObjectDiagnostic[] };

export interface JobStore {
  /** Leases up to `limit` due objects of a lane to `owner` (FOR UPDATE SKIP LOCKED: no object twice). */
  claim(owner: string, lane: Lane, limit: number, leaseMs: number): Promise<ClaimedJob[]>;
  /** Extends the leases `owner` still holds on these objects to now + leaseMs; returns the ids it holds. */
  renew(ids: string[], owner: string, leaseMs: number): Promise<string[]>;
  /**
   * In one transaction: re-checks the lease (JOB_LEASE_LOST if gone), runs `work`, and records the result it
   * returns.
   * "superseded" = the object changed while the job ran: the work is recorded as processed but the row stays
   * pending so the newer version gets its own run.
   */
  complete(job: ClaimedJob, owner: string, work: (tx: JobTx) => Promise<JobResult>): Promise<"done" | "superseded">;
  fail(
    job: ClaimedJob,
    owner: string,
    failure: { permanent: boolean; error: string; etag?: string; retryInMs: number; diagnostics?: ObjectDiagnostic[] },
  ): Promise<void>;
}

export interface ReconcileStore {
  /** Runs `fn` while holding the cluster-wide reconcile lock; null when another process holds it. */
  withReconcileLock<T>(fn: (store: ReconcileStoreSession) => Promise<T>): Promise<T | null>;
}

export interface ReconcileStoreSession {
  /** One query for all known bots plus an insert for the ones that are new. */
  ensureBots(names: string[]): Promise<Map<string, BotRef>>;
  /** One query per bucket. */
  loadObjects(botId: string): Promise<StoredObjectRow[]>;
  /** Writes only when there are changes. */
  applyChanges(botId: string, changes: BucketChanges): Promise<void>;
}
