/**
 * Bucket subscriptions (S3_NOTIFY): botsync subscribes the buckets it serves to its own notifications
 * through the `minio` package's getBucketNotification / setBucketNotification, keeping every other
 * notification configuration of the bucket. One adapter per server, because they differ in where the
 * notifications go and in how a PUT of the configuration behaves:
 * - MinIO (minio-subscriptions.ts): a webhook target configured on the server; a PUT replaces the whole
 *   configuration, so botsync's entry is merged into what is there.
 * - radosgw (ceph-subscriptions.ts): a topic botsync creates itself; a PUT adds or updates entries by id.
 */
import type { BucketNotifications } from "../../core/ports/bucket-notifications.js";
import { webhookUrl, type NotifySettings } from "../../core/settings/settings.js";
import { CephSubscriptions } from "./ceph-subscriptions.js";
import { MinioSubscriptions } from "./minio-subscriptions.js";
import type { SubscriptionServer } from "./subscription-client.js";

export type { S3Credentials, SubscriptionServer } from "./subscription-client.js";

export function createBucketNotifications(notify: Exclude<NotifySettings, { mode: "off" }>, server: SubscriptionServer): BucketNotifications {
  const url = webhookUrl(notify.publicUrl);
  return notify.mode === "minio"
    ? new MinioSubscriptions(server, { arn: notify.arn, webhookUrl: url })
    : new CephSubscriptions(server, { topic: notify.topic, webhookUrl: url });
}

