import type { IngestDeps } from "../core/ingest/ingest-notification.js";
import type { ObjectJobHandlers } from "../core/jobs/object-job-handler.js";
import type { Drive } from "../core/ports/drive.js";
import type { Logger } from "../core/ports/logger.js";
import type { StatusReader } from "../core/ports/status-reader.js";
import type { ReconcileReport } from "../core/reconcile/reconcile.js";

export interface DependencyCheck {
  ok: boolean;
  detail?: string;
}

/** Everything the HTTP app needs, wired by functions/node.ts or functions/worker.ts. */
export interface AppDeps {
  tokens: { webhook: string; api: string };
  ingest: IngestDeps;
  status: StatusReader;
  drive: Drive;
  handlers: ObjectJobHandlers;
  reconcile(onlyBot?: string): Promise<ReconcileReport>;
  /** where secrets come from and whether that source answers (env today; Vault in production) */
  secretsCheck(): Promise<DependencyCheck & { source: string }>;
  /** an object was queued: start processing it now instead of at the next poll */
  onQueued(): void;
  log: Logger;
}

/** Hono environment: dependencies travel in `c.env`, the same on Node and in workerd. */
export type AppEnv = { Bindings: { deps: AppDeps } };
