/**
 * What a (decoded) object key inside a bot bucket `{bot}.gbai` is, for routing it to a job
 * (DESIGN.md table; reference/botserver.md §1.2 `classify_file`, with its quirks fixed):
 *
 * | kind     | key                                                                |
 * | -------- | ------------------------------------------------------------------ |
 * | `config` | exactly `{bot}.gbot/config.csv` (case-sensitive)                     |
 * | `dialog` | `{bot}.gbdialog/**\/NAME.bas`, `.bas` case-insensitive, NAME non-empty |
 * | `kb`     | any file under `{bot}.gbkb/` (folder markers are rejected earlier)   |
 * | `prompt` | `{bot}.gbot/NAME.md` or `.txt` directly in `.gbot/`, extension case-insensitive, NAME non-empty |
 * | `other`  | everything else, including another bot's folders (`other.gbot/config.csv`) and `.bas` outside `.gbdialog/` |
 *
 * Decisions:
 * - Unlike the botserver, a `.bas` outside `{bot}.gbdialog/` is NOT a dialog, and `config.csv` must be at the
 *   exact path (the botserver matched `contains(".gbot/") && ends_with("config.csv")`).
 * - A file directly in `{bot}.gbkb/` (no KB folder) is still `kb`; the KB job decides what to do with it and
 *   reports an error instead of looping like the botserver (botserver.md §4.1 QUIRKS).
 * - Prompts must sit directly in `{bot}.gbot/` because the work dir keeps only the basename (botserver.md §1.4);
 *   nested `.md`/`.txt` under `.gbot/` is `other`. `config.csv` wins over the prompt rule (it is neither .md nor .txt anyway).
 * - A file named just `.bas` / `.md` / `.txt` (empty stem) is `other`: it would produce `.ast` etc. with no name.
 *
 * Hostile keys are rejected before classification (see validateObjectKey).
 */

export type ObjectKind = "config" | "dialog" | "kb" | "prompt" | "other";
export type Classified = { ok: true; kind: ObjectKind; key: string } | { ok: false; reason: string };

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

function lowerEndsWith(s: string, suffix: string): boolean {
  return s.length >= suffix.length && s.slice(-suffix.length).toLowerCase() === suffix;
}

function stemNonEmpty(basename: string, extLength: number): boolean {
  return basename.length > extLength;
}

export function classifyObject(bot: string, key: string): Classified {
  const problem = validateObjectKey(key);
  if (problem !== null) return { ok: false, reason: problem };
  return { ok: true, kind: kindOf(bot, key), key };
}

function kindOf(bot: string, key: string): ObjectKind {
  const gbot = `${bot}.gbot/`;
  const gbdialog = `${bot}.gbdialog/`;
  const gbkb = `${bot}.gbkb/`;

  if (key === `${gbot}config.csv`) return "config";

  if (key.startsWith(gbdialog)) {
    const basename = key.slice(key.lastIndexOf("/") + 1);
    return lowerEndsWith(basename, ".bas") && stemNonEmpty(basename, 4) ? "dialog" : "other";
  }

  if (key.startsWith(gbkb)) return "kb"; // the key is valid, so there is a non-empty file name after the prefix

  if (key.startsWith(gbot)) {
    const rest = key.slice(gbot.length);
    if (rest.includes("/")) return "other";
    if (lowerEndsWith(rest, ".md") && stemNonEmpty(rest, 3)) return "prompt";
    if (lowerEndsWith(rest, ".txt") && stemNonEmpty(rest, 4)) return "prompt";
  }
  return "other";
}
