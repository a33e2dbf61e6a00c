/**
 * Subscribing buckets to botsync's notifications on the storage server itself (S3_NOTIFY): botsync adds
 * its own notification configuration to each bucket it serves and leaves every other configuration of the
 * bucket as it was. Its own configuration is the one with id NOTIFICATION_ID.
 */

/** The id of botsync's notification configuration in a bucket; every other id belongs to someone else. */
export const NOTIFICATION_ID = "botsync";

/** What botsync subscribes to: every write and every removal (the event names it acts on are in events/). */
export const NOTIFICATION_EVENTS = ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"] as const;

export type SubscriptionStatus =
  | { bucket: string; state: "subscribed"; target: string }
  | { bucket: string; state: "not-subscribed"; target: string }
  /** botsync's configuration is there but points elsewhere or misses events; `problems` says how */
  | { bucket: string; state: "wrong-target"; target: string; problems: string[] };

/** One change subscribe() makes (or, for a dry run, would make). `detail` is a sentence for operators. */
export type SubscriptionChange =
  | { kind: "create-topic" | "update-topic"; target: string; detail: string }
  | { kind: "subscribe" | "update-subscription" | "refresh-subscription"; bucket: string; target: string; detail: string };

export interface SubscriptionPlan {
  /** where botsync's notifications go: MinIO's webhook target ARN, or radosgw's topic ARN */
  target: string;
  changes: SubscriptionChange[];
  /** buckets that are subscribed as they should be */
  unchanged: string[];
}

export interface BucketNotifications {
  readonly mode: "minio" | "ceph";
  /** Reads only. */
  status(bucket: string): Promise<SubscriptionStatus>;
  /** What subscribe(buckets) would change; reads only (the dry run). */
  plan(buckets: readonly string[]): Promise<SubscriptionPlan>;
  /**
   * Makes sure every bucket is subscribed; safe to repeat. Returns what it changed. Throws
   * SUBSCRIPTION_FAILED (the server refused: missing target, no permission) or DRIVE_UNAVAILABLE.
   */
  subscribe(buckets: readonly string[]): Promise<SubscriptionPlan>;
}
