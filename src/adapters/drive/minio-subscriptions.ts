/**
 * S3_NOTIFY=minio: each bucket gets a QueueConfiguration (id "botsync") for MinIO's webhook target ARN.
 * The target itself (endpoint, auth_token, queue_dir) lives in MinIO's server configuration and the S3 API
 * cannot create it, so a missing one fails with the exact settings to add.
 *
 * MinIO's PutBucketNotification replaces the bucket's whole configuration (as AWS S3 does), so botsync
 * reads it, swaps in its own entry and writes it all back: every other entry is kept as it was (MinIO's
 * filters are only prefix/suffix, which the minio package reads and writes losslessly). Entries that
 * already send to botsync's ARN under another id (e.g. made by `mc event add`) count as botsync's: MinIO
 * refuses two overlapping entries for one target. Nothing is written when the bucket is already subscribed.
 */
import type * as Minio from "minio";
import {
  NOTIFICATION_ID,
  type BucketNotifications,
  type SubscriptionChange,
  type SubscriptionPlan,
  type SubscriptionStatus,
} from "../../core/ports/bucket-notifications.js";
import {
  botsyncEntry,
  entryProblems,
  minioClient,
  readBucketNotification,
  writeBucketNotification,
  type BucketNotificationConfig,
  type SubscriptionServer,
  minioPackage,
} from "./subscription-client.js";

type Entry = { Id: string; Event: string[]; Filter: { Name: string; Value: string }[] };

export class MinioSubscriptions implements BucketNotifications {
  readonly mode = "minio" as const;

  constructor(
    private readonly server: SubscriptionServer,
    private readonly target: { arn: string; webhookUrl: string },
  ) {}

  async status(bucket: string): Promise<SubscriptionStatus> {
    const client = await minioClient(this.server);
    return this.judge(bucket, await readBucketNotification(client, bucket));
  }

  async plan(buckets: readonly string[]): Promise<SubscriptionPlan> {
    const client = await minioClient(this.server);
    const plan: SubscriptionPlan = { target: this.target.arn, changes: [], unchanged: [] };
    for (const bucket of buckets) {
      const change = this.changeFor(bucket, await readBucketNotification(client, bucket));
      if (change) plan.changes.push(change);
      else plan.unchanged.push(bucket);
    }
    return plan;
  }

  async subscribe(buckets: readonly string[]): Promise<SubscriptionPlan> {
    const client = await minioClient(this.server);
    const done: SubscriptionPlan = { target: this.target.arn, changes: [], unchanged: [] };
    for (const bucket of buckets) {
      const config = await readBucketNotification(client, bucket);
      const change = this.changeFor(bucket, config);
      if (!change) {
        done.unchanged.push(bucket);
        continue;
      }
      await writeBucketNotification(client, bucket, this.merged(config, await minioPackage()), `subscribing bucket ${bucket} to ${this.target.arn}`, (_code, message) =>
        this.explainRefusal(message),
      );
      done.changes.push(change);
    }
    return done;
  }

  /** botsync's entries: those sending to its ARN, and any with its id. */
  private isOurs(entry: Entry & { Queue?: string }): boolean {
    return entry.Id === NOTIFICATION_ID || entry.Queue === this.target.arn;
  }

  private judge(bucket: string, config: BucketNotificationConfig): SubscriptionStatus {
    const target = this.target.arn;
    const toUs = config.QueueConfiguration.filter((q) => q.Queue === target);
    if (toUs.some((q) => entryProblems(q).length === 0)) return { bucket, state: "subscribed", target };
    const problems = [
      ...toUs.map((q) => `the entry ${JSON.stringify(q.Id)} for ${target}: ${entryProblems(q).join("; ")}`),
      ...config.QueueConfiguration.filter((q) => q.Id === NOTIFICATION_ID && q.Queue !== target).map((q) => `botsync's entry sends to ${q.Queue}, not ${target}`),
      ...config.TopicConfiguration.filter((t) => t.Id === NOTIFICATION_ID).map((t) => `botsync's entry sends to topic ${t.Topic}, not ${target}`),
      ...config.CloudFunctionConfiguration.filter((f) => f.Id === NOTIFICATION_ID).map((f) => `botsync's entry sends to ${f.CloudFunction}, not ${target}`),
    ];
    return problems.length === 0 ? { bucket, state: "not-subscribed", target } : { bucket, state: "wrong-target", target, problems };
  }

  private changeFor(bucket: string, config: BucketNotificationConfig): SubscriptionChange | null {
    const status = this.judge(bucket, config);
    const target = this.target.arn;
    if (status.state === "subscribed") return null;
    const kept = countEntries(config) - this.ourEntries(config).length;
    const keeping = kept === 0 ? "" : ` (keeping its ${kept} other notification configuration${kept === 1 ? "" : "s"})`;
    return status.state === "not-subscribed"
      ? { kind: "subscribe", bucket, target, detail: `subscribe bucket ${bucket} to ${target} for created and removed objects${keeping}` }
      : { kind: "update-subscription", bucket, target, detail: `fix bucket ${bucket}: ${status.problems.join("; ")}${keeping}` };
  }

  private ourEntries(config: BucketNotificationConfig): Entry[] {
    return [...config.QueueConfiguration, ...config.TopicConfiguration, ...config.CloudFunctionConfiguration].filter((e) => this.isOurs(e));
  }

  /** The bucket's configuration with botsync's entries replaced by the one it needs. */
  private merged(config: BucketNotificationConfig, minio: typeof Minio): Minio.NotificationConfig {
    const next = new minio.NotificationConfig();
    for (const q of config.QueueConfiguration) if (!this.isOurs(q)) next.add(copy(new minio.QueueConfig(q.Queue), q));
    for (const t of config.TopicConfiguration) if (!this.isOurs(t)) next.add(copy(new minio.TopicConfig(t.Topic), t));
    for (const f of config.CloudFunctionConfiguration) if (!this.isOurs(f)) next.add(copy(new minio.CloudFunctionConfig(f.CloudFunction), f));
    next.add(botsyncEntry(new minio.QueueConfig(this.target.arn)));
    return next;
  }

  /** MinIO answers every refusal with InvalidArgument; its message tells which one. */
  private explainRefusal(message: string): string | undefined {
    if (/destination ARN does not exist/i.test(message)) return this.missingTargetMessage();
    if (/different region/i.test(message)) {
      return `MinIO refused ${this.target.arn}: its region part must be MinIO's site region (set S3_NOTIFY_ARN to arn:minio:sqs:<site region>:<id>:webhook)`;
    }
    return undefined;
  }

  private missingTargetMessage(): string {
    const { arn, webhookUrl } = this.target;
    const id = arn.split(":")[4] ?? "";
    const caseNote =
      id === id.toUpperCase()
        ? ""
        : ` The variables' suffix is the target id exactly as in the ARN, case kept: MINIO_NOTIFY_WEBHOOK_ENABLE_${id.toUpperCase()}=on would make arn:minio:sqs::${id.toUpperCase()}:webhook instead (then set S3_NOTIFY_ARN to that).`;
    return (
      `MinIO has no notification target ${arn}; configure it on the MinIO server and restart MinIO. Either set ` +
      `MINIO_NOTIFY_WEBHOOK_ENABLE_${id}=on, MINIO_NOTIFY_WEBHOOK_ENDPOINT_${id}=${webhookUrl} and ` +
      `MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_${id}=<WEBHOOK_TOKEN> (plus MINIO_NOTIFY_WEBHOOK_QUEUE_DIR_${id}=<directory>, so events wait while botsync is down), ` +
      `or run: mc admin config set ALIAS notify_webhook:${id} endpoint=${webhookUrl} auth_token=<WEBHOOK_TOKEN> queue_dir=<directory> ` +
      `&& mc admin service restart ALIAS.${caseNote}`
    );
  }
}

function countEntries(config: BucketNotificationConfig): number {
  return config.QueueConfiguration.length + config.TopicConfiguration.length + config.CloudFunctionConfiguration.length;
}

/** Rebuilds someone else's entry as it was: id, events and prefix/suffix filter. */
function copy<T extends Minio.TargetConfig>(target: T, entry: Entry): T {
  if (entry.Id) target.setId(entry.Id);
  for (const e of entry.Event) target.addEvent(e);
  for (const f of entry.Filter) {
    const name = f.Name.toLowerCase();
    if (name === "prefix") target.addFilterPrefix(f.Value);
    else if (name === "suffix") target.addFilterSuffix(f.Value);
  }
  return target;
}
