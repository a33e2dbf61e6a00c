/**
 * MinIO escapes `s3.object.key` in webhook bodies with Go's `url.QueryEscape` (docs/notifications.md,
 * "Object keys: Go's url.QueryEscape"):
 * `/` → `%2F`, space → `+`, `+` → `%2B`, non-ASCII → UTF-8 `%XX`. Plain decodeURIComponent is wrong for
 * spaces, so both directions live here.
 */
import { BotsyncError } from "../errors.js";

export function decodeMinioKey(escaped: string): string {
  try {
    return decodeURIComponent(escaped.replace(/\+/g, " "));
  } catch {
    throw new BotsyncError("INVALID_NOTIFICATION", `object key is not valid query-escaped UTF-8: ${JSON.stringify(escaped.slice(0, 200))}`);
  }
}

/** Go's url.QueryEscape: everything but A-Z a-z 0-9 - _ . ~ is %XX-escaped, space becomes `+`. */
export function encodeMinioKey(key: string): string {
  let escaped: string;
  try {
    escaped = encodeURIComponent(key);
  } catch {
    // A lone UTF-16 surrogate has no UTF-8 form, so no S3 key can contain it.
    throw new BotsyncError("INVALID_KEY", `object key is not valid Unicode: ${JSON.stringify(key.slice(0, 200))}`);
  }
  return escaped
    .replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, "+");
}
