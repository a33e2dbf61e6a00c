import type { IngestDeps } from "../core/ingest/ingest-notification.js";
import type { Kinds } from "../core/jobs/kind-registry.js";
import type { Drive } from "../core/ports/drive.js";
import type { Logger } from "../core/ports/logger.js";
import type { Metrics } from "../core/ports/metrics.js";
import type { RuntimeSecrets } from "../core/ports/runtime-secrets.js";
import type { SourceValidator } from "../core/ports/source-validator.js";
import type { StatusReader } from "../core/ports/status-reader.js";
import type { ReconcileReport } from "../core/reconcile/reconcile.js";
import type { KbReindexQueue } from "../core/kb/kb-reindex.js";
import type { KbSearchDeps } from "../core/kb/search-kb.js";
import type { SubscriptionStatus } from "../core/ports/bucket-notifications.js";
import type { Clock } from "../core/time/clock.js";

/** S3_NOTIFY, as GET /api/bots/:bot shows it: the storage server's answer and botsync's last refusal. */
export interface SubscriptionsView {
  readonly mode: "minio" | "ceph";
  /** Asks the storage server; throws when it cannot be asked. */
  status(bucket: string): Promise<{ state: SubscriptionStatus["state"]; target: string; problems?: string[] }>;
}

/** Everything the HTTP app needs, wired by functions/node.ts or functions/worker.ts. */
export interface AppDeps {
  /** tokens and the health of wherever secrets come from (Vault, environment) */
  secrets: RuntimeSecrets;
  ingest: IngestDeps;
  status: StatusReader;
  drive: Drive;
  kinds: Kinds;
  reconcile(onlyBot?: string): Promise<ReconcileReport>;
  kbSearch: KbSearchDeps;
  kbReindex: KbReindexQueue;
  /** POST /api/validate: off the request thread where the runtime has threads */
  validator: SourceValidator;
  metrics: Metrics;
  /** GET /metrics in Prometheus's text format; absent where nothing can scrape a process (Workers) */
  metricsExporter?: { contentType: string; render(): Promise<string> };
  /** bucket subscriptions (S3_NOTIFY); absent when it is off, and in the Worker */
  subscriptions?: SubscriptionsView;
  /** an object was queued: start processing it now instead of at the next poll */
  onQueued(): void;
  /**
   * Set where a response may stay open (Node): the console's Events page streams Server-Sent Events. null in
   * a Worker, where each invocation holds its own database client for as long as it runs: the page polls.
   */
  liveEvents: LiveEvents | null;
  /** what waits and time limits are measured on (systemClock; a test's ManualClock) */
  clock: Clock;
  log: Logger;
}

export interface LiveEvents {
  /** aborted when the service shuts down, so open streams end and the server can close */
  shutdown: AbortSignal;
}

/**
 * Hono environment: dependencies travel in `c.env`, the same on Node and in workerd. `opaqueDataToken` is set
 * by the webhook's auth when a notification came without `Authorization` (radosgw): its body must carry it.
 */
export type AppEnv = { Bindings: { deps: AppDeps }; Variables: { opaqueDataToken?: string } };
