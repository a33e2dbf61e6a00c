/**
 * What to do for a bucket-notification event name (docs/notifications.md, "Event names"). MinIO names carry an
 * `s3:` prefix (`s3:ObjectCreated:Put`); AWS S3 and s3rver send them without (`ObjectCreated:Put`). Both are
 * accepted; matching is otherwise exact (case-sensitive), as MinIO and AWS emit them.
 *
 * - upsert: the object's bytes were (re)written — ObjectCreated:Put, :Post, :Copy, :CompleteMultipartUpload.
 * - remove: the current version is gone afterwards — ObjectRemoved:Delete, :DeleteMarkerCreated,
 *   :DeleteAllVersions (ILM removed every version), LifecycleDelMarkerExpiration:Delete (ILM removed a delete
 *   marker and the versions under it; the object was already absent and stays absent), and AWS's
 *   LifecycleExpiration:Delete / :DeleteMarkerCreated.
 *   Note: on a versioned bucket, deleting a specific *version* is also ObjectRemoved:Delete and may expose an
 *   older version. Events are hints: consumers must check the bucket (HEAD/GET) or leave it to reconcile.
 * - ignore (with a reason), answered 2xx so MinIO's queue moves on: metadata-only changes (PutTagging,
 *   DeleteTagging, PutRetention, PutLegalHold, AWS ObjectTagging/ObjectAcl), ObjectRemoved:NoOP (nothing was
 *   deleted), ObjectAccessed:*, Replication, Restore, Transition, Scanner, bucket events, wildcards and
 *   anything unknown.
 */

export type EventAction = "upsert" | "remove" | "ignore";
export type EventClassification = { action: "upsert" | "remove" } | { action: "ignore"; reason: string };

const UPSERT = new Set([
  "ObjectCreated:Put",
  "ObjectCreated:Post",
  "ObjectCreated:Copy",
  "ObjectCreated:CompleteMultipartUpload",
]);

const REMOVE = new Set([
  "ObjectRemoved:Delete",
  "ObjectRemoved:DeleteMarkerCreated",
  "ObjectRemoved:DeleteAllVersions",
  "LifecycleDelMarkerExpiration:Delete",
  "LifecycleExpiration:Delete",
  "LifecycleExpiration:DeleteMarkerCreated",
]);

const METADATA_ONLY = new Set([
  "ObjectCreated:PutTagging",
  "ObjectCreated:DeleteTagging",
  "ObjectCreated:PutRetention",
  "ObjectCreated:PutLegalHold",
  "ObjectTagging:Put",
  "ObjectTagging:Delete",
  "ObjectAcl:Put",
]);

const IGNORED_GROUPS: ReadonlyArray<readonly [prefix: string, reason: string]> = [
  ["ObjectAccessed:", "read access, object unchanged"],
  ["Replication:", "replication status event"],
  ["ObjectReplication:", "replication status event"],
  ["ObjectRestore:", "restore of an archived object, bytes unchanged"],
  ["ObjectTransition:", "tier transition, bytes unchanged"],
  ["LifecycleTransition", "tier transition, bytes unchanged"],
  ["IntelligentTiering", "tier transition, bytes unchanged"],
  ["Scanner:", "scanner report, object unchanged"],
  ["BucketCreated:", "bucket event"],
  ["BucketRemoved:", "bucket event"],
];

export function classifyEventName(name: string): EventClassification {
  const bare = name.startsWith("s3:") ? name.slice(3) : name;
  if (UPSERT.has(bare)) return { action: "upsert" };
  if (REMOVE.has(bare)) return { action: "remove" };
  if (METADATA_ONLY.has(bare)) return { action: "ignore", reason: "metadata-only change, object bytes unchanged" };
  if (bare === "ObjectRemoved:NoOP") return { action: "ignore", reason: "delete of an object that did not exist" };
  if (bare.endsWith(":*")) return { action: "ignore", reason: "wildcard, not an event" };
  for (const [prefix, reason] of IGNORED_GROUPS) {
    if (bare.startsWith(prefix)) return { action: "ignore", reason };
  }
  return { action: "ignore", reason: `unknown event name ${JSON.stringify(name.slice(0, 100))}` };
}

export function eventAction(name: string): EventAction {
  return classifyEventName(name).action;
}

/** The reason an event name is ignored, or undefined when it is acted on. */
export function ignoreReason(name: string): string | undefined {
  const c = classifyEventName(name);
  return c.action === "ignore" ? c.reason : undefined;
}
