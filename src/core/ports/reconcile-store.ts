/**
 * What reconcile reads and writes. Implemented by the Postgres adapter (src/adapters/db/reconcile-store.ts).
 */
import type { Lane } from "../jobs/job-types.js";
import type { BotRef } from "./ingest-store.js";

/** What the database knows of one object of a bucket. */
export interface StoredObjectRow {
  id: string;
  filePath: string;
  etag: string | null;
  present: boolean;
  revision: string;
}

/** The differences between a bucket's listing and the database: each becomes a queued object. */
export interface BucketChanges {
  inserts: Array<{ filePath: string; kind: { fileType: string; lane: Lane }; etag: string; size: number; lastModified?: Date }>;
  updates: Array<{ id: string; revision: string; present: boolean; etag: string | null; size?: number; lastModified?: Date }>;
  skipped: Array<{ key: string; reason: string }>;
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
