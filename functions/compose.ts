/**
 * Wiring shared by every entry point (Node service, Worker, CLI, tests, bench): adapters in, use cases out.
 */
import { configKind } from "../src/core/config/config-object-job.js";
import { KindRegistry, register } from "../src/core/jobs/kind-registry.js";
import { dialogKind } from "../src/core/dialogs/dialog-object-job.js";
import type { ArtifactStore } from "../src/core/ports/artifact-store.js";
import type { DocumentExtractor } from "../src/core/ports/document-extractor.js";
import { kbKind } from "../src/core/kb/kb-object-job.js";
import { pgConfigStore } from "../src/adapters/db/config-store.js";
import { pgDialogStore } from "../src/adapters/db/dialog-store.js";
import { pgKbStore } from "../src/adapters/db/kb-store.js";
import { PgChunkIndex } from "../src/adapters/vectors/pg-chunk-index.js";
import { QdrantVectors } from "../src/adapters/vectors/qdrant-vectors.js";
import { BotsyncError } from "../src/core/errors.js";
import { OpenAiEmbeddings } from "../src/adapters/embeddings/openai-embeddings.js";
import { PgBotConfigReader } from "../src/adapters/db/bot-config-reader.js";
import type { Drive, StreamingDrive } from "../src/core/ports/drive.js";
import type { Logger } from "../src/core/ports/logger.js";
import { reconcile, type BucketSubscriptions, type ReconcileDeps } from "../src/core/reconcile/reconcile.js";
import type { Settings } from "../src/core/settings/settings.js";
import type { Sql, Tx } from "../src/adapters/db/connect.js";
import { PgIngestStore } from "../src/adapters/db/ingest-store.js";
import { PgJobStore } from "../src/adapters/db/job-store.js";
import { PgReconcileStore } from "../src/adapters/db/reconcile-store.js";
import { PgStatusReader } from "../src/adapters/db/status-reader.js";
import { PgKbReindexQueue } from "../src/adapters/db/kb-reindex-queue.js";
import type { AppDeps, LiveEvents, SubscriptionsView } from "../src/handlers/app-deps.js";
import type { RuntimeSecrets } from "../src/core/ports/runtime-secrets.js";
import type { SourceValidator } from "../src/core/ports/source-validator.js";
import type { BotSecrets } from "../src/core/ports/bot-secrets.js";
import { noMetrics, type Metrics } from "../src/core/ports/metrics.js";
import type { MetricsSources } from "../src/adapters/metrics/prometheus-metrics.js";
import { checkDependencies } from "../src/handlers/health.js";
import { cipherProvider } from "../src/adapters/crypto/cipher-provider.js";
import { JobLanes, type LaneConfig } from "../src/handlers/job-lanes.js";
import type { Lane } from "../src/core/jobs/job-types.js";
import { systemClock, type Clock } from "../src/core/time/clock.js";

export interface ComposeInput {
  settings: Pick<Settings, "loadOnly" | "vectors">;
  secrets: RuntimeSecrets;
  sql: Sql;
  drive: Drive & StreamingDrive;
  /** where compiled dialogs go: the work dir on Node, the drive on Workers */
  artifacts: ArtifactStore;
  /** knowledge-base text extraction: a worker thread per document on Node, inline on Workers */
  extractor: DocumentExtractor;
  log: Logger;
  /** identifies this process in job leases */
  owner: string;
  lanes?: Record<Lane, LaneConfig>;
  /** each bot's own secrets (Vault's per-bot paths, or LLM_* variables in development); none in a Worker */
  botSecrets?: BotSecrets;
  /** POST /api/validate: a thread pool on Node, inline in a Worker */
  validator: SourceValidator;
  /**
   * Builds the metrics exported at /metrics from what their gauges read (Node: prom-client). Without it
   * nothing is counted: a Worker isolate has nothing a scraper could reach.
   */
  metrics?: (sources: MetricsSources) => Metrics & { contentType: string; render(): Promise<string> };
  /**
   * S3_NOTIFY: subscribes the buckets reconcile serves and answers GET /api/bots/:bot's `subscription`
   * (Node only: the `minio` package needs Node).
   */
  subscriptions?: BucketSubscriptions & SubscriptionsView;
  /** replaces the default "kick the local job lanes" (the Worker drains in waitUntil instead) */
  onQueued?: () => void;
  /** the console streams events where responses may stay open (Node); it polls without (Workers) */
  liveEvents?: LiveEvents;
  /** what waits, backoffs and time limits are measured on (default systemClock) */
  clock?: Clock;
}

export interface Botsync {
  deps: AppDeps;
  lanes: JobLanes<Tx>;
  reconcileDeps: ReconcileDeps;
  kinds: KindRegistry<Tx>;
}

function qdrantFor(vectors: Settings["vectors"]): QdrantVectors | null {
  if (vectors.store !== "qdrant") return null;
  if (!vectors.url) throw new BotsyncError("SETTINGS_INVALID", "KB_VECTOR_STORE=qdrant needs QDRANT_URL (or url in Vault's gbo/vectordb)");
  return new QdrantVectors({ url: vectors.url, apiKey: vectors.apiKey });
}

export function composeBotsync(input: ComposeInput): Botsync {
  const clock = input.clock ?? systemClock;
  const cipher = cipherProvider(input.secrets);
  const chunkIndex = new PgChunkIndex(input.sql, qdrantFor(input.settings.vectors));
  const kbSearch = { index: chunkIndex, embedder: new OpenAiEmbeddings({ clock }), config: new PgBotConfigReader(input.sql, cipher), secrets: input.botSecrets };
  // The object kinds, each with its store bound to the job's transaction — the one place a new kind is added.
  const kinds = new KindRegistry<Tx>([
    register(configKind(cipher), (tx: Tx) => pgConfigStore(tx)),
    register(dialogKind(input.artifacts), (tx: Tx) => pgDialogStore(tx)),
    register(kbKind({ ...kbSearch, extractor: input.extractor }), (tx: Tx) => pgKbStore(tx)),
  ]);
  const status = new PgStatusReader(input.sql);
  // The dependency gauge runs the health checks when scraped; `deps` exists by then.
  const metrics =
    input.metrics?.({
      objects: () => status.countObjects(),
      kb: () => status.kbTotals(),
      health: async () => Object.fromEntries(Object.entries(await checkDependencies(deps)).map(([name, check]) => [name, check.ok])),
    }) ?? null;
  const lanes = new JobLanes(
    {
      drive: input.drive,
      jobs: new PgJobStore(input.sql, (fileType) => kinds.byFileType(fileType)?.name),
      kinds,
      owner: input.owner,
      log: input.log.child({ component: "jobs" }),
    },
    input.lanes,
    clock,
    metrics ?? noMetrics,
  );
  const reconcileDeps: ReconcileDeps = {
    drive: input.drive,
    store: new PgReconcileStore(input.sql),
    kinds,
    loadOnly: input.settings.loadOnly,
    log: input.log.child({ component: "reconcile" }),
    metrics: metrics ?? noMetrics,
    subscriptions: input.subscriptions,
  };
  const deps: AppDeps = {
    secrets: input.secrets,
    // Lanes that run (Node) start a queued object's job at once; lanes that never start (a Worker) have no slots.
    ingest: { store: new PgIngestStore(input.sql), drive: input.drive, kinds, loadOnly: input.settings.loadOnly, log: input.log.child({ component: "ingest" }), slots: lanes },
    status,
    drive: input.drive,
    kinds,
    reconcile: (onlyBot) => reconcile(reconcileDeps, onlyBot),
    kbSearch,
    kbReindex: new PgKbReindexQueue(input.sql),
    validator: input.validator,
    metrics: metrics ?? noMetrics,
    metricsExporter: metrics ?? undefined,
    subscriptions: input.subscriptions,
    onQueued: input.onQueued ?? (() => lanes.kick()),
    liveEvents: input.liveEvents ?? null,
    clock,
    log: input.log,
  };
  return { deps, lanes, reconcileDeps, kinds };
}
