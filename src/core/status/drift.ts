/**
 * Drift between a bucket and the database: what an operator used to find with `mc ls` and psql side by side.
 * Pure; computed live for `GET /api/bots/:bot`.
 */
import type { DriveObjectInfo } from "../ports/drive.js";

export interface TrackedObject {
  key: string;
  etag: string | null;
  processedEtag: string | null;
  present: boolean;
  status: string;
}

export type DriftKind =
  | "untracked" // in the bucket, unknown to the database (a lost notification; reconcile will queue it)
  | "etag-differs" // the database knows an older version
  | "not-processed" // known, but the bytes in the bucket were not applied yet (or failed)
  | "deleted-in-bucket"; // the database still holds an object the bucket no longer has

export interface DriftEntry {
  key: string;
  kind: DriftKind;
  bucketEtag: string | null;
  knownEtag: string | null;
  processedEtag: string | null;
  status: string | null;
}

export function computeDrift(listing: DriveObjectInfo[], tracked: TrackedObject[], isTracked: (key: string) => boolean): DriftEntry[] {
  const byKey = new Map(tracked.map((t) => [t.key, t]));
  const drift: DriftEntry[] = [];
  const listed = new Set<string>();
  for (const object of listing) {
    if (!isTracked(object.key)) continue;
    listed.add(object.key);
    const row = byKey.get(object.key);
    const entry = { key: object.key, bucketEtag: object.etag, knownEtag: row?.etag ?? null, processedEtag: row?.processedEtag ?? null, status: row?.status ?? null };
    if (!row || !row.present) drift.push({ ...entry, kind: "untracked" });
    else if (row.etag !== object.etag) drift.push({ ...entry, kind: "etag-differs" });
    else if (row.processedEtag !== object.etag) drift.push({ ...entry, kind: "not-processed" });
  }
  for (const row of tracked) {
    if (row.present && !listed.has(row.key) && isTracked(row.key)) {
      drift.push({ key: row.key, kind: "deleted-in-bucket", bucketEtag: null, knownEtag: row.etag, processedEtag: row.processedEtag, status: row.status });
    }
  }
  return drift.sort((a, b) => a.key.localeCompare(b.key));
}
