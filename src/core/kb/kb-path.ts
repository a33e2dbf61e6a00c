/**
 * Admission of a knowledge-base object: which KB a key belongs to, the document's path inside that KB and
 * its format (docs/botserver-compatibility.md, "Knowledge base: admission").
 *
 * Layout: `{bot}.gbkb/{kb}/**\/{file}` — the first folder under `{bot}.gbkb/` is the KB, everything after it
 * (nested folders at any depth) is the document path. Keys are the decoded object keys inside the bot's
 * bucket `{bot}.gbai` (as the kind registry sees them).
 *
 * Fixed botserver quirks (docs/botserver-compatibility.md, "Known botserver bugs botsync fixes", items 2–3):
 * - a file directly in `{bot}.gbkb/` (no KB folder) fails the botserver's `parse_kb_path`, which
 *   returns without marking the row, so it is re-upserted every 5 s forever. Here it belongs to the KB named
 *   {@link DEFAULT_KB_NAME} ("default"): `{bot}.gbkb/faq.pdf` is the document `faq.pdf` of KB "default", the
 *   same KB as the folder `{bot}.gbkb/default/` (so `USE KB "default"` finds both).
 * - nested folders are supported at any depth (the botserver fails to write their temp file and downloads
 *   them again every cycle); the document path keeps the sub-folders
 *   (`{bot}.gbkb/manuals/hr/2024/leave.pdf` → KB "manuals", document "hr/2024/leave.pdf").
 * - A format we cannot extract is still admitted here with `format: null`; the KB job fails it ONCE with
 *   KB_UNSUPPORTED_FORMAT and does not retry until its ETag changes (the botserver retried 5 times).
 *
 * KB names: the KB name is the folder name verbatim, because the botserver looks KBs up by that exact name
 * (`kb_collections.name`, `USE KB "name"`) and builds the Qdrant collection `{bot}_{id8}_{kb}` from it
 * (docs/botserver-compatibility.md, "Qdrant layout"); slugifying it would break `USE KB`. Names are
 * therefore validated, never rewritten:
 * - 1 to {@link MAX_KB_NAME_BYTES} UTF-8 bytes, so `{bot}_{id8}_{kb}` (bot ≤ 58) stays within Qdrant's
 *   255-byte collection-name limit;
 * - none of the characters Qdrant forbids in a collection name (`< > : " / \ | ? *`, NUL), and no `#` or `%`,
 *   which the botserver's URL building (`format!("{url}/collections/{name}")`) would mangle; control
 *   characters are already refused by validateObjectKey;
 * - no leading or trailing white space, and no leading `.` (hidden folders such as `.trash`).
 * Spaces and non-ASCII letters are allowed ("Manual do Usuário"): the Qdrant adapter must percent-encode the
 * collection name in URLs, and SQL always binds it as a parameter (it is not safe inside LIKE patterns).
 */
import { BotsyncError } from "../errors.js";
import { validateObjectKey } from "../paths/object-key.js";
import { extensionOf, formatOfFileName, KB_EXTENSIONS, type KbFormat } from "./kb-format.js";

/** The KB that files placed directly in `{bot}.gbkb/` (no KB folder) belong to. */
export const DEFAULT_KB_NAME = "default";

/** Longest KB name, in UTF-8 bytes: 58 (bot) + 1 + 8 (id prefix) + 1 + 128 = 196 ≤ 255 (Qdrant's limit). */
export const MAX_KB_NAME_BYTES = 128;

export interface KbPath {
  /** The KB (folder directly under `{bot}.gbkb/`), or DEFAULT_KB_NAME for a file with no KB folder. */
  kb: string;
  /** The document's path inside the KB: `sub/dir/file.pdf`. Never empty, never starts with `/`. */
  documentPath: string;
  /** The last segment of the key: `file.pdf`. */
  fileName: string;
  /** The file name without its extension (the botserver's `document_title` = file stem): `file`. */
  title: string;
  /** The format by extension, or null when the format is not supported (the job fails it once). */
  format: KbFormat | null;
  /** True when the file sits directly in `{bot}.gbkb/` and was put in DEFAULT_KB_NAME. */
  inDefaultKb: boolean;
}

export type KbPathResult = ({ ok: true } & KbPath) | { ok: false; reason: string };

const FORBIDDEN_IN_KB_NAME = /[<>:"/\\|?*#%\u0000-\u001f\u007f]/;

function utf8Bytes(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** The reason `name` cannot be a KB name, or null when it can. */
export function kbNameProblem(name: string): string | null {
  if (name.length === 0) return "KB name is empty";
  if (utf8Bytes(name) > MAX_KB_NAME_BYTES) return `KB name is longer than ${MAX_KB_NAME_BYTES} bytes`;
  const bad = FORBIDDEN_IN_KB_NAME.exec(name);
  if (bad) return `KB name contains a forbidden character ${JSON.stringify(bad[0])}`;
  if (name.trim() !== name) return "KB name starts or ends with white space";
  if (name.startsWith(".")) return "KB name starts with '.' (hidden folder)";
  return null;
}

/**
 * Where the decoded object key `key` of bot `bot` goes in the knowledge base, or why it cannot be admitted
 * (not under `{bot}.gbkb/`, an unsafe key, or an invalid KB name). An unsupported format is NOT a rejection
 * here: it is admitted with `format: null` so the job can record the failure against the document.
 */
export function kbPathOf(bot: string, key: string): KbPathResult {
  const keyProblem = validateObjectKey(key);
  if (keyProblem !== null) return { ok: false, reason: keyProblem };
  const prefix = `${bot}.gbkb/`;
  if (!key.startsWith(prefix)) return { ok: false, reason: `key is not under ${prefix}` };

  const rest = key.slice(prefix.length); // non-empty: validateObjectKey refuses a trailing '/'
  const slash = rest.indexOf("/");
  const inDefaultKb = slash < 0;
  const kb = inDefaultKb ? DEFAULT_KB_NAME : rest.slice(0, slash);
  const documentPath = inDefaultKb ? rest : rest.slice(slash + 1);

  const nameProblem = kbNameProblem(kb);
  if (nameProblem !== null) return { ok: false, reason: `${nameProblem}: ${JSON.stringify(kb.slice(0, 200))}` };

  const fileName = documentPath.slice(documentPath.lastIndexOf("/") + 1);
  const dot = fileName.lastIndexOf(".");
  const title = dot > 0 ? fileName.slice(0, dot) : fileName;
  return { ok: true, kb, documentPath, fileName, title, format: formatOfFileName(fileName), inDefaultKb };
}

/**
 * The error a KB job records, once, for a document whose format is null (not retried until its ETag
 * changes): `unsupported document format ".doc" for "old.doc"; supported: .txt, .md, …`.
 */
export function unsupportedFormatError(fileName: string): BotsyncError {
  const ext = extensionOf(fileName);
  const what = ext === null ? "a file without an extension" : `unsupported document format ".${ext}"`;
  return new BotsyncError("KB_UNSUPPORTED_FORMAT", `${what} for ${JSON.stringify(fileName)}; supported: ${KB_EXTENSIONS.map((e) => `.${e}`).join(", ")}`, {
    details: { fileName, extension: ext },
  });
}

/** The error for a key that kbPathOf refused (KB_INVALID_PATH, not retryable). */
export function invalidKbPathError(key: string, reason: string): BotsyncError {
  return new BotsyncError("KB_INVALID_PATH", `${reason} (key ${JSON.stringify(key.slice(0, 300))})`, { details: { key, reason } });
}
