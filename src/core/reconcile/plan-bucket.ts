/**
 * Comparing one bucket's listing with what the database knows. Pure: the bucket is the source of truth, and
 * every difference becomes a queued object. No difference, no write.
 */
import type { DriveObjectInfo } from "../ports/drive.js";
import type { BucketChanges, StoredObjectRow } from "../ports/reconcile-store.js";
import { filePathOf, type Lane } from "../jobs/job-types.js";

export function planBucket(
  bucket: string,
  listing: DriveObjectInfo[],
  stored: StoredObjectRow[],
  kindOf: (key: string) => { ok: true; kind: { fileType: string; lane: Lane } } | { ok: false; reason: string } | null,
): BucketChanges {
  const changes: BucketChanges = { inserts: [], updates: [], skipped: [] };
  const byPath = new Map(stored.map((row) => [row.filePath, row]));
  const seen = new Set<string>();
  for (const object of listing) {
    const kind = kindOf(object.key);
    if (kind === null) continue; // not an object any job handles
    if (!kind.ok) {
      changes.skipped.push({ key: object.key, reason: kind.reason });
      continue;
    }
    const filePath = filePathOf(bucket, object.key);
    seen.add(filePath);
    const row = byPath.get(filePath);
    if (!row) {
      changes.inserts.push({ filePath, kind: kind.kind, etag: object.etag, size: object.size, lastModified: object.lastModified });
    } else if (!row.present || row.etag !== object.etag) {
      changes.updates.push({ id: row.id, revision: row.revision, present: true, etag: object.etag, size: object.size, lastModified: object.lastModified });
    }
  }
  for (const row of stored) {
    // A row of a kind no job handles any more is left alone: queuing its removal would have no handler.
    const handled = kindOf(row.filePath.slice(bucket.length + 1));
    if (row.present && !seen.has(row.filePath) && handled !== null && handled.ok) {
      changes.updates.push({ id: row.id, revision: row.revision, present: false, etag: row.etag });
    }
  }
  return changes;
}

export function hasChanges(changes: BucketChanges): boolean {
  return changes.inserts.length > 0 || changes.updates.length > 0;
}
