import { backoffDelayMs, type Backoff } from "../time/retry.js";

/** pending → (job) → synced; transient failure → retry (backoff); permanent failure → failed until the ETag changes. */
export type SyncStatus = "pending" | "synced" | "retry" | "failed";

/** Knowledge-base work is slow; it gets its own lane so it never delays config or dialog jobs. */
export type Lane = "fast" | "kb";

/** `drive_files.file_path` is `{bucket}/{key}`, as the botserver writes it (docs/botserver-compatibility.md). */
export function filePathOf(bucket: string, key: string): string {
  return `${bucket}/${key}`;
}

export function splitFilePath(filePath: string): { bucket: string; key: string } {
  const slash = filePath.indexOf("/");
  return { bucket: filePath.slice(0, slash), key: filePath.slice(slash + 1) };
}

/** A diagnostic about an object's content (a config.csv line, later a BASIC syntax error). */
export interface ObjectDiagnostic {
  severity: "error" | "warning";
  code: string;
  message: string;
  line?: number;
  column?: number;
}

/** One object claimed by one worker under a lease. */
export interface ClaimedJob {
  id: string;
  botId: string;
  bot: string;
  bucket: string;
  key: string;
  filePath: string;
  /** the name of the object's kind (ObjectKind.name) */
  kind: string;
  /** newest ETag we were told about; null when the notification had none */
  etag: string | null;
  present: boolean;
  processedEtag: string | null;
  /** run the job even if processedEtag is the object's ETag (a re-index was asked for) */
  reprocess: boolean;
  /** when the notification, reconcile or re-index this run answers queued the object (ms since the epoch) */
  queuedAt: number | null;
  attempts: number;
  revision: string;
}

/** Transient failures of a job wait 1 s, 2 s, 4 s … capped at 5 minutes. */
export const JOB_BACKOFF: Backoff = { firstMs: 1_000, maxMs: 300_000 };

/** How long a job waits after its `attempts`-th failure in a row. */
export function retryDelayMs(attempts: number): number {
  return backoffDelayMs(JOB_BACKOFF, attempts);
}
