/**
 * The Cloudflare Worker entry (wrangler.toml `main`). Wiring only, mirroring functions/node-service.ts:
 *   fetch     → the same Hono app as on Node; queued jobs are drained in ctx.waitUntil
 *   scheduled → 1-minute cron backstop: re-arms the ReconcileTicker alarm chain if it ever stopped,
 *               prunes the event log at minute 0
 *   ReconcileTicker (Durable Object) → one reconcile + job drain per alarm, re-armed every RECONCILE_INTERVAL_MS
 *
 * Sockets cannot outlive an invocation in workerd, so every invocation opens its own postgres.js client
 * and ends it when its work (including any waitUntil drain) is done.
 */
import { inlineValidator } from "../src/adapters/validate/inline-validator.js";
import "./worker-polyfills.js"; // first: the AWS SDK needs DOMParser/Node before it parses XML
import { DurableObject } from "cloudflare:workers";
import { BotsyncError, errorText, isBotsyncError } from "../src/core/errors.js";
import type { Logger } from "../src/core/ports/logger.js";
import { reconcile, type ReconcileReport } from "../src/core/reconcile/reconcile.js";
import { parseSettings, requireTokens, type RawEnv, type ServingSettings } from "../src/core/settings/settings.js";
import { connectDatabase, type Sql } from "../src/adapters/db/connect.js";
import { pruneEvents } from "../src/adapters/db/prune-events.js";
import { S3Drive } from "../src/adapters/drive/s3-drive.js";
import { DriveArtifacts } from "../src/adapters/artifacts/drive-artifacts.js";
import { inlineExtractor } from "../src/adapters/kb/inline-extractor.js";
import { staticSecrets } from "../src/adapters/secrets/static-secrets.js";
import { JsonLogger, parseLogLevel } from "../src/adapters/log/json-logger.js";
import { createApp } from "../src/handlers/app.js";
import { composeBotsync, type Botsync } from "./compose.js";

export interface Env {
  // secrets (wrangler secret put)
  DATABASE_URL?: string;
  S3_ENDPOINT?: string;
  S3_ACCESS_KEY?: string;
  S3_SECRET_KEY?: string;
  WEBHOOK_TOKEN?: string;
  API_TOKEN?: string;
  ENCRYPTION_MASTER_KEY?: string;
  // [vars]
  S3_REGION?: string;
  RECONCILE_INTERVAL_MS?: string;
  LOAD_ONLY?: string;
  LOG_LEVEL?: string;
  // bindings
  RECONCILER: DurableObjectNamespace<ReconcileTicker>;
}

/** The one ReconcileTicker instance. */
const RECONCILER_NAME = "reconciler";
/** How long one invocation keeps claiming due jobs after its real work. */
const DRAIN_BUDGET_MS = 20_000;
/** Alarm period while the settings are invalid (the error is logged on every attempt). */
const MISCONFIGURED_RETRY_MS = 60_000;
/** postgres.js connections per invocation (reconcile reserves one; Workers allow 6 sockets per invocation). */
const POOL_SIZE = 2;

type WorkerSettings = ServingSettings & {
  databaseUrl: string;
  s3: { endpoint: string; accessKey: string; secretKey: string; region: string };
};

const app = createApp();

export default {
  async fetch(request, env, ctx): Promise<Response> {
    let settings: WorkerSettings;
    try {
      settings = workerSettings(env);
    } catch (error) {
      return settingsErrorResponse(error);
    }
    let drain: Promise<unknown> | undefined;
    const run = openInvocation(settings, "fetch", () => {
      drain ??= run.botsync.lanes.drain(Date.now() + DRAIN_BUDGET_MS).catch((error) => run.log.warn("job drain failed", { error: errorText(error) }));
      ctx.waitUntil(drain);
    });
    try {
      return await app.fetch(request, { deps: run.botsync.deps }, ctx);
    } finally {
      // After the response: wait for the drain (if one started), then end the client — once.
      ctx.waitUntil(
        (async () => {
          await drain;
          await run.close();
        })(),
      );
    }
  },

  async scheduled(controller, env, ctx): Promise<void> {
    const stub = env.RECONCILER.get(env.RECONCILER.idFromName(RECONCILER_NAME));
    await stub.ensureArmed();
    if (new Date(controller.scheduledTime).getUTCMinutes() === 0) {
      ctx.waitUntil(pruneEventLog(env));
    }
  },
} satisfies ExportedHandler<Env>;

/** Runs reconcile every RECONCILE_INTERVAL_MS with a self re-arming alarm; one instance ⇒ ticks never overlap. */
export class ReconcileTicker extends DurableObject<Env> {
  private ticking: Promise<ReconcileReport> | null = null;

  override async alarm(): Promise<void> {
    let next = MISCONFIGURED_RETRY_MS;
    try {
      const settings = workerSettings(this.env);
      next = settings.reconcileIntervalMs;
      await this.tick(settings);
    } catch (error) {
      // Logged, not thrown: the re-arm below is the retry (the platform's alarm retries would only add to it).
      logger(this.env, { component: "reconcile-ticker" }).error("reconcile tick failed", { error: errorText(error) });
    } finally {
      await this.ctx.storage.setAlarm(Date.now() + next);
    }
  }

  /** Called by the cron every minute: restarts the alarm chain if it has stopped. Returns the alarm time. */
  async ensureArmed(): Promise<number> {
    const at = await this.ctx.storage.getAlarm();
    if (at !== null) return at;
    const next = Date.now() + 1_000;
    await this.ctx.storage.setAlarm(next);
    logger(this.env, { component: "reconcile-ticker" }).warn("reconcile alarm was not set; re-armed", { at: new Date(next).toISOString() });
    return next;
  }

  /** One tick now (tests, operators); shares a tick already in progress. */
  async tickNow(): Promise<ReconcileReport> {
    return this.tick(workerSettings(this.env));
  }

  /** When the next alarm fires (ms since epoch), or null when none is set. */
  async alarmAt(): Promise<number | null> {
    return this.ctx.storage.getAlarm();
  }

  private tick(settings: WorkerSettings): Promise<ReconcileReport> {
    this.ticking ??= (async () => {
      const run = openInvocation(settings, "reconcile-ticker");
      try {
        const report = await reconcile(run.botsync.reconcileDeps);
        await run.botsync.lanes.drain(Date.now() + DRAIN_BUDGET_MS);
        return report;
      } finally {
        await run.close();
      }
    })().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }
}

// ---------------------------------------------------------------------------------------------------------

interface Invocation {
  botsync: Botsync;
  log: Logger;
  /** ends the postgres client and the drive; idempotent */
  close(): Promise<void>;
}

function openInvocation(settings: WorkerSettings, entry: string, onQueued?: () => void): Invocation {
  const log = new JsonLogger({ runtime: "workerd", entry }, settings.logLevel);
  const sql = connectDatabase(settings.databaseUrl, { max: POOL_SIZE });
  const drive = new S3Drive({
    endpoint: settings.s3.endpoint,
    region: settings.s3.region,
    credentials: { accessKeyId: settings.s3.accessKey, secretAccessKey: settings.s3.secretKey },
  });
  const botsync = composeBotsync({
    validator: inlineValidator,
    settings,
    // Workers keep their secrets in the platform's own store (`wrangler secret put`), read per invocation.
    secrets: staticSecrets({
      source: "environment",
      tokens: { webhook: settings.webhookToken, api: settings.apiToken },
      masterKey: settings.encryptionMasterKey ?? null,
      detail: "Workers secrets",
    }),
    sql,
    drive,
    artifacts: new DriveArtifacts(drive),
    extractor: inlineExtractor,
    log,
    owner: `worker:${crypto.randomUUID()}`,
    // Without a callback compose would kick the (never started) Node lanes; a tick drains by itself.
    onQueued: onQueued ?? (() => {}),
  });
  let closing: Promise<void> | undefined;
  return {
    botsync,
    log,
    close: () =>
      (closing ??= (async () => {
        drive.destroy();
        await endQuietly(sql, log);
      })()),
  };
}

async function endQuietly(sql: Sql, log: Logger): Promise<void> {
  try {
    await sql.end({ timeout: 5 });
  } catch (error) {
    log.warn("closing the database client failed", { error: errorText(error) });
  }
}

async function pruneEventLog(env: Env): Promise<void> {
  const settings = workerSettings(env);
  const log = new JsonLogger({ runtime: "workerd", entry: "scheduled" }, settings.logLevel);
  const sql = connectDatabase(settings.databaseUrl, { max: 1 });
  try {
    const deleted = await pruneEvents(sql);
    if (deleted > 0) log.info("pruned the event log", { deleted });
  } finally {
    await endQuietly(sql, log);
  }
}

/**
 * parseSettings over the Worker's string vars and secrets, plus what a Worker cannot do without: there is no
 * embedded database or drive in workerd, so DATABASE_URL and S3_ENDPOINT are required here.
 */
function workerSettings(env: Env): WorkerSettings {
  const raw: RawEnv = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  const settings = parseSettings(raw);
  const problems: string[] = [];
  if (!settings.databaseUrl) {
    problems.push("DATABASE_URL is required on Cloudflare Workers (there is no embedded database there): `wrangler secret put DATABASE_URL`");
  }
  if (!settings.s3.endpoint) {
    problems.push("S3_ENDPOINT is required on Cloudflare Workers (there is no embedded drive there): `wrangler secret put S3_ENDPOINT`");
  }
  if (problems.length > 0) throw new BotsyncError("SETTINGS_INVALID", `invalid settings: ${problems.join("; ")}`, { details: { problems } });
  // parseSettings already requires both keys once S3_ENDPOINT is set.
  return requireTokens(settings) as WorkerSettings;
}

function settingsErrorResponse(error: unknown): Response {
  const message = isBotsyncError(error) ? error.message : `invalid settings: ${errorText(error)}`;
  new JsonLogger({ runtime: "workerd", entry: "fetch" }).error("cannot serve: settings are invalid", { error: message });
  return Response.json({ error: { code: "SETTINGS_INVALID", message } }, { status: 500 });
}

/** A logger for when the settings may be unusable. */
function logger(env: Env, fields: Record<string, string>): Logger {
  return new JsonLogger({ runtime: "workerd", ...fields }, parseLogLevel(env.LOG_LEVEL));
}
