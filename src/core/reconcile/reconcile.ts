/**
 * The guarantee behind the events: list every bot bucket, compare each with the database (one query per
 * bucket), queue every difference. A lost, late or duplicated notification is healed by the next tick.
 */
import { errorText } from "../errors.js";
import type { Kinds } from "../jobs/kind-registry.js";
import type { Drive } from "../ports/drive.js";
import type { Logger } from "../ports/logger.js";
import type { Metrics } from "../ports/metrics.js";
import type { ReconcileStore } from "../ports/reconcile-store.js";
import { hasChanges, planBucket } from "./plan-bucket.js";
import { servedBuckets } from "./served-buckets.js";

/**
 * S3_NOTIFY: subscribes buckets to botsync's notifications on the storage server. Reconcile hands it the
 * buckets it serves before reading them, so a new bucket is subscribed first and then listed: a change made
 * before the subscription is found by the listing, one made after it is pushed.
 */
export interface BucketSubscriptions {
  /**
   * `buckets` are all the buckets served now: the new ones are subscribed, the others cost nothing, and a
   * bucket missing from the list is forgotten (subscribed again if it comes back). Never throws.
   */
  ensure(buckets: readonly string[]): Promise<void>;
}

export interface ReconcileDeps {
  drive: Drive;
  store: ReconcileStore;
  kinds: Kinds;
  loadOnly: ReadonlySet<string> | null;
  log: Logger;
  metrics?: Metrics;
  subscriptions?: BucketSubscriptions;
}

export interface BucketReport {
  bucket: string;
  bot: string;
  objects: number;
  queued: number;
  removed: number;
  skipped: Array<{ key: string; reason: string }>;
  error?: string;
}

export interface ReconcileReport {
  status: "done" | "busy";
  startedAt: string;
  durationMs: number;
  buckets: BucketReport[];
  ignoredBuckets: Array<{ bucket: string; reason: string }>;
  queued: number;
}

/** `onlyBot`: reconcile one bot now (`POST /api/bots/:bot/sync`). */
export async function reconcile(deps: ReconcileDeps, onlyBot?: string): Promise<ReconcileReport> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const outcome = await deps.store.withReconcileLock(async (session) => {
    const bucketNames = await deps.drive.listBuckets();
    const { served, ignored: ignoredBuckets } = servedBuckets(bucketNames, deps.loadOnly);
    const targets = onlyBot === undefined ? served : served.filter((t) => t.bot === onlyBot);
    if (deps.subscriptions) await deps.subscriptions.ensure(served.map((t) => t.bucket));
    const botIds = await session.ensureBots(targets.map((t) => t.bot));
    const buckets: BucketReport[] = [];
    for (const target of targets) {
      const ref = botIds.get(target.bot);
      if (!ref) continue;
      if (!ref.active) {
        ignoredBuckets.push({ bucket: target.bucket, reason: `bot "${target.bot}" is inactive (bots.is_active = false)` });
        continue;
      }
      buckets.push(await reconcileBucket(deps, session, target.bucket, target.bot, ref.id));
    }
    return { buckets, ignoredBuckets };
  });
  const durationMs = Date.now() - started;
  if (!outcome) return { status: "busy", startedAt, durationMs, buckets: [], ignoredBuckets: [], queued: 0 };
  const queued = outcome.buckets.reduce((n, b) => n + b.queued + b.removed, 0);
  if (queued > 0) deps.log.info("reconcile queued changes", { queued, buckets: outcome.buckets.length, ms: durationMs });
  deps.metrics?.reconcile(durationMs, queued);
  return { status: "done", startedAt, durationMs, ...outcome, queued };
}

async function reconcileBucket(
  deps: ReconcileDeps,
  session: Parameters<Parameters<ReconcileStore["withReconcileLock"]>[0]>[0],
  bucket: string,
  bot: string,
  botId: string,
): Promise<BucketReport> {
  try {
    const listing = await deps.drive.listObjects(bucket);
    const stored = await session.loadObjects(botId);
    const changes = planBucket(bucket, listing, stored, (key) => {
      const classified = deps.kinds.classify(bot, key);
      if (!classified.ok) return classified.reason === "directory marker" ? null : classified;
      return classified.kind ? { ok: true, kind: classified.kind } : null;
    });
    if (hasChanges(changes)) await session.applyChanges(botId, changes);
    return {
      bucket,
      bot,
      objects: listing.length,
      queued: changes.inserts.length + changes.updates.filter((u) => u.present).length,
      removed: changes.updates.filter((u) => !u.present).length,
      skipped: changes.skipped,
    };
  } catch (error) {
    // One unreadable bucket must not stop the others.
    deps.log.warn("reconcile of a bucket failed", { bucket, error: errorText(error) });
    return { bucket, bot, objects: 0, queued: 0, removed: 0, skipped: [], error: errorText(error) };
  }
}
