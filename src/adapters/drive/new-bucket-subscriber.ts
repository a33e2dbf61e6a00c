/**
 * S3_NOTIFY in a running service: "subscribe what is new". Start-up and every reconcile tick hand it the
 * buckets served now; it subscribes those it has not subscribed in this process and remembers them, so a
 * tick with nothing new makes no request at all. A bucket that disappears from the list is forgotten, so a
 * bucket deleted and created again is subscribed again (when a tick saw it missing in between).
 *
 * Failures never stop start-up or reconcile. A refusal (SUBSCRIPTION_FAILED: no such MinIO target, no
 * permission) is logged at error level with the adapter's message, which says what to configure, and is
 * shown in GET /api/bots/:bot until the bucket is subscribed; an unreachable server is a warning. Failed
 * buckets are tried again at a later tick, after a delay that doubles up to a limit, so a missing target
 * costs one error line per bucket group and delay, not one per tick.
 */
import { BotsyncError } from "../../core/errors.js";
import type { BucketNotifications, SubscriptionPlan, SubscriptionStatus } from "../../core/ports/bucket-notifications.js";
import type { Logger } from "../../core/ports/logger.js";
import { systemClock, type Clock } from "../../core/time/clock.js";
import { backoffDelayMs } from "../../core/time/retry.js";
import type { BucketSubscriptions } from "../../core/reconcile/reconcile.js";

export interface NewBucketSubscriberOptions {
  /** the first wait before a failed bucket is tried again (default 30 s); it doubles after each failure */
  retryDelayMs?: number;
  /** the longest wait (default 10 min) */
  maxRetryDelayMs?: number;
  clock?: Pick<Clock, "now">;
}

interface Failure {
  message: string;
  attempts: number;
  retryAt: number;
}

/** A bucket's subscription with botsync's last refusal among the problems (GET /api/bots/:bot shows it). */
export interface ShownSubscription {
  state: SubscriptionStatus["state"];
  target: string;
  problems?: string[];
}

export class NewBucketSubscriber implements BucketSubscriptions {
  readonly mode: "minio" | "ceph";
  private readonly subscribed = new Set<string>();
  private readonly failures = new Map<string, Failure>();
  /** one ensure() at a time: start-up and a tick must not subscribe the same bucket twice */
  private queue: Promise<void> = Promise.resolve();
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly clock: Pick<Clock, "now">;

  constructor(
    private readonly notifications: BucketNotifications,
    private readonly log: Logger,
    options: NewBucketSubscriberOptions = {},
  ) {
    this.mode = notifications.mode;
    this.retryDelayMs = options.retryDelayMs ?? 30_000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 600_000;
    this.clock = options.clock ?? systemClock;
  }

  ensure(buckets: readonly string[]): Promise<void> {
    const run = this.queue.then(() => this.subscribeNew(buckets));
    this.queue = run.catch(() => undefined);
    return run.catch((error) => this.log.error("bucket subscription failed unexpectedly", { error: String(error) }));
  }

  /** Asks the storage server (throws when it cannot be asked). */
  async status(bucket: string): Promise<ShownSubscription> {
    const status = await this.notifications.status(bucket);
    const failure = this.failures.get(bucket);
    const problems = [
      ...(status.state === "wrong-target" ? status.problems : []),
      ...(failure && status.state !== "subscribed" ? [`botsync could not subscribe it (${failure.attempts} attempt(s)): ${failure.message}`] : []),
    ];
    return { state: status.state, target: status.target, ...(problems.length > 0 ? { problems } : {}) };
  }

  private async subscribeNew(buckets: readonly string[]): Promise<void> {
    const served = new Set(buckets);
    for (const bucket of this.subscribed) if (!served.has(bucket)) this.subscribed.delete(bucket);
    for (const bucket of this.failures.keys()) if (!served.has(bucket)) this.failures.delete(bucket);
    const now = this.clock.now();
    const due = [...served].filter((b) => !this.subscribed.has(b) && (this.failures.get(b)?.retryAt ?? 0) <= now);
    if (due.length === 0) return;

    let refused: unknown;
    try {
      this.succeeded(due, await this.notifications.subscribe(due));
      return;
    } catch (error) {
      refused = error;
    }
    if (due.length === 1 || codeOf(refused) !== "SUBSCRIPTION_FAILED") {
      this.failed([{ buckets: due, error: refused }]);
      return;
    }
    // One bucket refused stops a batch: go one by one, so the others are subscribed and each refusal is told.
    const failures: Array<{ buckets: string[]; error: unknown }> = [];
    for (const bucket of due) {
      try {
        this.succeeded([bucket], await this.notifications.subscribe([bucket]));
      } catch (error) {
        failures.push({ buckets: [bucket], error });
      }
    }
    if (failures.length > 0) this.failed(failures);
  }

  private succeeded(buckets: string[], plan: SubscriptionPlan): void {
    for (const change of plan.changes) this.log.info("bucket subscription changed", { kind: change.kind, target: change.target, detail: change.detail });
    if (plan.unchanged.length > 0) this.log.debug("buckets already subscribed", { buckets: plan.unchanged, target: plan.target });
    for (const bucket of buckets) {
      this.subscribed.add(bucket);
      this.failures.delete(bucket);
    }
  }

  /** Records the failures and logs them, one line per distinct message. */
  private failed(failures: Array<{ buckets: string[]; error: unknown }>): void {
    const byMessage = new Map<string, { error: unknown; buckets: string[] }>();
    for (const { buckets, error } of failures) {
      const message = messageOf(error);
      const group = byMessage.get(message) ?? { error, buckets: [] };
      group.buckets.push(...buckets);
      byMessage.set(message, group);
    }
    for (const [message, { error, buckets }] of byMessage) {
      let delay = 0;
      for (const bucket of buckets) {
        const attempts = (this.failures.get(bucket)?.attempts ?? 0) + 1;
        delay = backoffDelayMs({ firstMs: this.retryDelayMs, maxMs: this.maxRetryDelayMs }, attempts);
        this.failures.set(bucket, { message, attempts, retryAt: this.clock.now() + delay });
      }
      const fields = { buckets, error: message, retryInMs: delay };
      if (codeOf(error) === "SUBSCRIPTION_FAILED") this.log.error("the storage server refused to subscribe buckets to botsync's notifications", fields);
      else this.log.warn("could not subscribe buckets to botsync's notifications", fields);
    }
  }
}

function codeOf(error: unknown): string | undefined {
  return error instanceof BotsyncError ? error.code : undefined;
}

/** The adapter's message as it is (it names the bucket and what to configure), without the code prefix. */
function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : String(error);
}
