/** Read models for the HTTP API and the CLI. */
import type { RecordOutcome } from "./ingest-store.js";
import type { ObjectDiagnostic, SyncStatus } from "../jobs/job-types.js";

export interface BotSummary {
  id: string;
  name: string;
  active: boolean;
  objects: number;
  synced: number;
  pending: number;
  retrying: number;
  failed: number;
  lastEventAt: string | null;
  configSyncedAt: string | null;
}

export interface ObjectState {
  key: string;
  filePath: string;
  fileType: string;
  present: boolean;
  status: SyncStatus;
  leased: boolean;
  etag: string | null;
  processedEtag: string | null;
  processedAt: string | null;
  size: number | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  diagnostics: ObjectDiagnostic[];
}

export interface ConfigSyncState {
  configFilePath: string;
  fileHash: string;
  lastSyncAt: string;
  syncCount: number;
  ownedKeys: number;
  diagnostics: ObjectDiagnostic[];
}

export interface ConfigRow {
  key: string;
  /** "********" when `masked` */
  value: string;
  /** the key holds a secret (src/core/config/sensitive-keys.ts); its value is never shown */
  masked: boolean;
  type: string;
  isEncrypted: boolean;
  /** "config.csv" when the last config.csv sync wrote it, "other" when set by other means */
  source: "config.csv" | "other";
  updatedAt: string;
}

export interface EventRow {
  id: string;
  receivedAt: string;
  source: string;
  eventName: string;
  bucket: string;
  key: string;
  etag: string | null;
  outcome: RecordOutcome;
  reason: string | null;
  /** what became of it: the object's state now */
  result: "ignored" | "duplicate" | "stale" | "processed" | "superseded" | "pending" | "retrying" | "failed" | "removed";
  objectStatus: string | null;
  lastError: string | null;
}

/** The sync state every listed file shares (dialogs, KB documents). */
export interface FileSyncState {
  key: string;
  filePath: string;
  status: SyncStatus;
  etag: string | null;
  processedEtag: string | null;
  lastError: string | null;
  diagnostics: ObjectDiagnostic[];
}

export interface DialogState extends FileSyncState {
  /** null until the script first compiled */
  tool: { name: string; active: boolean; compiledAt: string; astPath: string } | null;
  schedules: string[];
}

export interface KbDocumentState extends FileSyncState {
  kb: string;
  /** null until the document was first indexed */
  chunks: number | null;
  indexedAt: string | null;
}

export interface StatusReader {
  listKbDocuments(botId: string): Promise<KbDocumentState[]>;
  listDialogs(botId: string): Promise<DialogState[]>;
  listBots(): Promise<BotSummary[]>;
  findBot(name: string): Promise<BotSummary | null>;
  listObjects(botId: string): Promise<ObjectState[]>;
  configSync(botId: string): Promise<ConfigSyncState | null>;
  listConfig(botId: string): Promise<ConfigRow[]>;
  listEvents(options: { limit: number; botId?: string }): Promise<EventRow[]>;
  /** tracked objects by kind (drive_files.file_type) and sync status, for the metrics */
  countObjects(): Promise<Array<{ kind: string; status: SyncStatus; count: number }>>;
  /** indexed KB documents and chunks, all bots */
  kbTotals(): Promise<{ documents: number; chunks: number }>;
  /** throws DATABASE_UNAVAILABLE when the database cannot be reached */
  check(): Promise<void>;
}
