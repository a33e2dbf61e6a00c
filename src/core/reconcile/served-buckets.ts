/**
 * Which buckets botsync serves: `*.gbai` buckets with a valid bot name, honouring LOAD_ONLY. Reconcile
 * syncs them, and with S3_NOTIFY they are the buckets subscribed to botsync's notifications.
 */
import { botNameFromBucket } from "../paths/bot-name.js";

export interface ServedBuckets {
  served: Array<{ bucket: string; bot: string }>;
  /** `.gbai` buckets that are not valid bot buckets, with the reason (other buckets are not mentioned) */
  ignored: Array<{ bucket: string; reason: string }>;
}

export function servedBuckets(bucketNames: readonly string[], loadOnly: ReadonlySet<string> | null): ServedBuckets {
  const result: ServedBuckets = { served: [], ignored: [] };
  for (const bucket of bucketNames) {
    if (!bucket.endsWith(".gbai")) continue;
    const name = botNameFromBucket(bucket);
    if (!name.ok) result.ignored.push({ bucket, reason: name.reason });
    else if (!loadOnly || loadOnly.has(name.bot)) result.served.push({ bucket, bot: name.bot });
  }
  return result;
}
