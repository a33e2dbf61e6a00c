/**
 * The long-running Node service: Hono on Node, the job lanes, the reconcile timer, and — when nothing is
 * configured — the embedded drive (s3rver) and database (PGlite over the wire protocol). With S3_NOTIFY it
 * subscribes the buckets it serves to its own notifications: at start, and then at each reconcile tick
 * that sees a new one.
 */
import { PrometheusMetrics } from "../src/adapters/metrics/prometheus-metrics.js";
import { environmentBotSecrets, vaultBotSecrets } from "../src/adapters/secrets/bot-secrets.js";
import { ThreadValidator } from "../src/adapters/validate/thread-validator.js";
import { serve, type ServerType } from "@hono/node-server";
import type { Server as HttpServer } from "node:http";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { BotsyncError, errorText } from "../src/core/errors.js";
import type { Logger } from "../src/core/ports/logger.js";
import { reconcile } from "../src/core/reconcile/reconcile.js";
import type { Settings } from "../src/core/settings/settings.js";
import { connectDatabase, type Sql } from "../src/adapters/db/connect.js";
import { migrate } from "../src/adapters/db/migrate.js";
import { pruneEvents } from "../src/adapters/db/prune-events.js";
import { S3Drive } from "../src/adapters/drive/s3-drive.js";
import { createBucketNotifications } from "../src/adapters/drive/bucket-subscriptions.js";
import { NewBucketSubscriber } from "../src/adapters/drive/new-bucket-subscriber.js";
import { servedBuckets } from "../src/core/reconcile/served-buckets.js";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../src/adapters/embedded/pglite-server.js";
import { startEmbeddedS3, type EmbeddedS3 } from "../src/adapters/embedded/s3-server.js";
import { createMinioNotifier } from "../src/adapters/embedded/minio-notifier.js";
import { resolveSecrets, type ServiceSecrets } from "../src/adapters/settings/resolve-secrets.js";
import { createApp } from "../src/handlers/app.js";
import { WorkDirArtifacts } from "../src/adapters/artifacts/work-dir-artifacts.js";
import { ThreadExtractor } from "../src/adapters/kb/thread-extractor.js";
import { composeBotsync, type Botsync } from "./compose.js";
import type { LaneConfig } from "../src/handlers/job-lanes.js";
import type { Lane } from "../src/core/jobs/job-types.js";
import { systemClock, type Clock } from "../src/core/time/clock.js";

/** How long an idle HTTP connection is kept open (see where the server is started). */
export const KEEP_ALIVE_MS = 65_000;

export interface NodeService {
  url: string;
  botsync: Botsync;
  sql: Sql;
  drive: S3Drive;
  tokens: { webhook: string; api: string };
  secrets: ServiceSecrets;
  /** the embedded drive, when it runs */
  embeddedS3?: EmbeddedS3;
  /** resolves when every notification the embedded drive produced has been delivered */
  notificationsIdle(): Promise<void>;
  /** runs one reconcile tick now (the timer runs them every RECONCILE_INTERVAL_MS) */
  tick(): Promise<void>;
  close(): Promise<void>;
}

export interface NodeServiceOptions {
  log: Logger;
  /** false in tests that drive reconcile by hand */
  reconcileTimer?: boolean;
  lanes?: Record<Lane, LaneConfig>;
  /** the pool size for an external database */
  poolSize?: number;
  /** already resolved secrets (functions/node.ts resolves them to print warnings first); else resolved here */
  secrets?: ServiceSecrets;
  /**
   * What the jobs, the API and the reconcile timer wait on (default systemClock): a test moves a ManualClock
   * through an embedding backoff instead of waiting it out. The embedded drive's notifier keeps real time.
   */
  clock?: Clock;
}

export async function startNodeService(settings: Settings, options: NodeServiceOptions): Promise<NodeService> {
  const { log } = options;
  const cleanups: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log.warn("shutdown step failed", { error: errorText(error) });
      }
    }
  };
  try {
    let secrets = options.secrets;
    if (!secrets) {
      const resolved = await resolveSecrets(settings);
      for (const warning of resolved.warnings) log.warn(warning);
      secrets = resolved.secrets;
      settings = resolved.settings;
    }
    const tokens = await secrets.tokens();

    let databaseUrl = settings.databaseUrl;
    let poolSize = options.poolSize ?? 10;
    if (!databaseUrl) {
      const pg: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: join(settings.dataDir, "pglite"), port: settings.embedded.postgresPort });
      cleanups.push(() => pg.close());
      databaseUrl = pg.url;
      poolSize = 1; // PGlite is one session
    }
    const sql = connectDatabase(databaseUrl, { max: poolSize, password: secrets.databasePassword });
    cleanups.push(() => sql.end({ timeout: 5 }));
    await migrate(sql);

    // The embedded drive posts MinIO-format notifications to our own webhook, exactly as MinIO would.
    const notifier = { current: null as ReturnType<typeof createMinioNotifier> | null };
    let embeddedS3: EmbeddedS3 | undefined;
    let s3 = { endpoint: settings.s3.endpoint, region: settings.s3.region };
    let credentials: ConstructorParameters<typeof S3Drive>[0]["credentials"] | undefined =
      secrets.driveCredentials ??
      (settings.s3.accessKey && settings.s3.secretKey ? { accessKeyId: settings.s3.accessKey, secretAccessKey: settings.s3.secretKey } : undefined);
    if (!settings.s3.endpoint) {
      const started = await startEmbeddedS3({
        directory: join(settings.dataDir, "s3"),
        port: settings.embedded.s3Port,
        onEvent: (event) => void notifier.current?.notify(event),
      });
      embeddedS3 = started;
      cleanups.push(() => started.close());
      s3 = { endpoint: started.endpoint, region: settings.s3.region };
      credentials = { accessKeyId: started.accessKeyId, secretAccessKey: started.secretAccessKey };
    }
    if (!s3.endpoint || !credentials) throw new BotsyncError("SETTINGS_INVALID", "the drive needs S3_ENDPOINT, S3_ACCESS_KEY and S3_SECRET_KEY");
    const drive = new S3Drive({ endpoint: s3.endpoint, region: s3.region, credentials, credentialsTtlMs: settings.vault?.cacheTtlMs });
    cleanups.push(() => drive.destroy());

    let subscriptions: NewBucketSubscriber | undefined;
    if (settings.notify.mode !== "off" && embeddedS3) {
      log.warn(`S3_NOTIFY=${settings.notify.mode} is ignored: the embedded drive hands its events to the webhook itself`);
    } else if (settings.notify.mode !== "off") {
      const notifications = createBucketNotifications(settings.notify, { endpoint: s3.endpoint, region: s3.region, credentials, webhookToken: tokens.webhook });
      subscriptions = new NewBucketSubscriber(notifications, log.child({ component: "subscriptions" }));
    }

    // ZIP documents are spooled to disk while they are read (under DATA_DIR: /tmp may be a tmpfs in memory)
    const extractor = new ThreadExtractor({ spoolDir: join(settings.dataDir, "kb-spool") });
    cleanups.push(() => extractor.close());
    const validator = new ThreadValidator();
    cleanups.push(() => validator.close());
    const shutdown = new AbortController();
    const botsync = composeBotsync({
      liveEvents: { shutdown: shutdown.signal },
      validator,
      // The bots' own secrets: Vault's per-bot paths in production, LLM_* and the like in development.
      botSecrets: secrets.vault ? vaultBotSecrets(secrets.vault) : environmentBotSecrets(process.env),
      metrics: (sources) => new PrometheusMetrics(sources),
      settings,
      sql,
      drive,
      artifacts: new WorkDirArtifacts(settings.workDir),
      extractor,
      log,
      owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      secrets,
      lanes: options.lanes,
      subscriptions,
      clock: options.clock,
    });
    const app = createApp();
    const server: ServerType = await new Promise((resolve, reject) => {
      const s = serve({ fetch: (request) => app.fetch(request, { deps: botsync.deps }), port: settings.port, hostname: settings.host }, () => resolve(s));
      // MinIO's Go client keeps idle connections far longer than Node's default 5 s: a POST written onto a
      // connection we are closing fails, and without queue_dir MinIO drops that event. Outlive the client
      // (and the 60 s of common load balancers); the header timeout must stay above the keep-alive one.
      const http = s as HttpServer;
      http.keepAliveTimeout = KEEP_ALIVE_MS;
      http.headersTimeout = KEEP_ALIVE_MS + 1_000;
      s.once("error", (error) => reject(new Error(`cannot listen on ${settings.host}:${settings.port}: ${errorText(error)}`)));
    });
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    // Runs before the server closes (cleanups run in reverse): the console's event streams end first, or the
    // server would wait for them forever.
    cleanups.push(() => shutdown.abort());
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : settings.port;
    const localHost = settings.host === "0.0.0.0" || settings.host === "::" ? "127.0.0.1" : settings.host;
    const url = `http://${localHost}:${port}`;
    notifier.current = createMinioNotifier({
      endpoint: `${url}/webhooks/minio`,
      authToken: tokens.webhook,
      onError: (error, event) => log.warn("embedded drive notification not delivered", { bucket: event.bucket, key: event.key, error: errorText(error) }),
    });

    botsync.lanes.start();
    cleanups.push(() => botsync.lanes.stop());

    // Once listening (MinIO drops an event it cannot deliver without queue_dir), and not at the first tick:
    // without the timer there is none, and radosgw starts delivering a new persistent topic only at its
    // next queue check, so the earlier the topic exists the better. Failures are logged; start-up goes on.
    if (subscriptions) {
      try {
        await subscriptions.ensure(servedBuckets(await drive.listBuckets(), settings.loadOnly).served.map((b) => b.bucket));
      } catch (error) {
        log.warn("cannot list the buckets to subscribe them; reconcile subscribes them once the drive answers", { error: errorText(error) });
      }
    }

    let ticking: Promise<void> | null = null;
    let ticks = 0;
    const tick = () => {
      ticking ??= (async () => {
        try {
          const report = await reconcile(botsync.reconcileDeps);
          if (report.queued > 0) botsync.lanes.kick();
          if (++ticks % 360 === 1) await pruneEvents(sql);
        } catch (error) {
          log.warn("reconcile tick failed", { error: errorText(error) });
        } finally {
          ticking = null;
        }
      })();
      return ticking;
    };
    if (options.reconcileTimer !== false) {
      const stopTimer = (options.clock ?? systemClock).every(settings.reconcileIntervalMs, () => void tick());
      cleanups.push(async () => {
        stopTimer();
        await ticking;
      });
      void tick();
    }

    return {
      url,
      botsync,
      sql,
      drive,
      tokens,
      secrets,
      embeddedS3,
      notificationsIdle: async () => {
        await embeddedS3?.idle();
        await notifier.current?.idle();
      },
      tick,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
