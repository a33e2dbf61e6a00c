/**
 * Object keys inside a bot bucket `{bot}.gbai`: which are safe to act on. Which kind a safe key is (config,
 * dialog, KB document) is each kind's own rule (`ObjectKind.matches`, asked in order by the KindRegistry).
 * Hostile keys are refused before any kind sees them.
 */

/** S3's limit for object keys, in UTF-8 bytes. */
export const MAX_OBJECT_KEY_BYTES = 1024;

const CONTROL_RE = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE_RE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * null when `key` is a safe object key, else the reason it is not. Rejected: empty; longer than 1024 UTF-8
 * bytes; C0 control characters (incl. NUL) or DEL; lone UTF-16 surrogates; a backslash; a leading `/`;
 * a trailing `/` ("directory marker"); empty segments (`a//b`); segments `.` or `..`.
 */
export function validateObjectKey(key: string): string | null {
  if (key.length === 0) return "empty key";
  // A UTF-16 code unit is at most 3 UTF-8 bytes, and at least 1: cheap bounds before the exact count.
  if (key.length > MAX_OBJECT_KEY_BYTES || utf8Length(key) > MAX_OBJECT_KEY_BYTES) {
    return `key longer than ${MAX_OBJECT_KEY_BYTES} bytes`;
  }
  if (CONTROL_RE.test(key)) return "key contains a control character";
  if (LONE_SURROGATE_RE.test(key)) return "key is not valid Unicode";
  if (key.includes("\\")) return "key contains a backslash";
  if (key.startsWith("/")) return "key starts with '/'";
  if (key.endsWith("/")) return "directory marker";
  for (const segment of key.split("/")) {
    if (segment === "") return "key contains an empty path segment";
    if (segment === "." || segment === "..") return `key contains a '${segment}' path segment`;
  }
  return null;
}

