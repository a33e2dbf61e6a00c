/**
 * Parser for a bot's `{bot}.gbot/config.csv`.
 *
 * Why hand-written and not a CSV library: despite the name, the format is not RFC 4180. Each line is
 * `key,rest-of-line` — the value is everything after the FIRST comma, so unquoted commas inside values
 * are kept (`greeting,Hello, world`), which a CSV parser would split into extra fields. Quotes only mean
 * something when they wrap the whole value; there are no multi-line records. The botserver's rules
 * (docs/botserver-compatibility.md, "config.csv") are followed, with its bugs fixed: the documented `name,value` header is
 * skipped, comments are skipped, duplicates are reported, and problems become diagnostics instead of logs.
 *
 * Decisions where the spec left a choice:
 *   - Duplicate keys: the last occurrence wins and its entry sits at the position of the LAST occurrence,
 *     so `entries` is always in ascending `line` order.
 *   - `unterminated-quote`: a lone `"` counts as an opening quote without a closing one.
 *   - Keys are never unquoted; only values are. The type is inferred from the final (unquoted) value, so
 *     `"42"` is the number 42 — quoting protects spaces and commas, it does not force a string.
 *   - Invalid UTF-8: the byte offset is 0-based from the start of the file (a BOM counts), the line is
 *     1-based.
 *   - String input: a leading U+FEFF is ignored like the byte BOM; no UTF-8 check is possible or needed.
 */
import { BotsyncError } from "../errors.js";
import { stripBom, utf8BomLength } from "../text/byte-order-mark.js";
import { decodeUtf8Strict } from "../text/utf8.js";
import { inferConfigType, type ConfigType } from "./config-type.js";

export interface ConfigEntry {
  key: string;
  value: string;
  type: ConfigType;
  /** 1-based line number in the file. */
  line: number;
}

export interface ConfigDiagnostic {
  line: number;
  code: "missing-comma" | "empty-key" | "control-characters" | "duplicate-key" | "unterminated-quote" | "stored-unencrypted";
  message: string;
}

export interface ParsedConfig {
  entries: ConfigEntry[];
  diagnostics: ConfigDiagnostic[];
}

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Longest excerpt of a bad line shown in a diagnostic, in characters (ellipsis included). */
const EXCERPT_MAX = 40;

export function parseConfigCsv(input: Uint8Array | string): ParsedConfig {
  const text = typeof input === "string" ? stripBom(input) : decodeUtf8(input);

  // Insertion-ordered; a duplicate is deleted and re-set, which moves it to the position of its last line.
  const byKey = new Map<string, ConfigEntry>();
  const diagnostics: ConfigDiagnostic[] = [];
  let sawFirstContentLine = false;

  let lineNo = 0;
  let start = 0;
  const len = text.length;
  while (start <= len) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = len;
    lineNo++;
    // A trailing `\r` (CRLF, or a final line ending in `\r`) is removed by trim() below.
    const line = text.slice(start, end).trim();
    start = end + 1;

    if (line.length === 0 || line.charCodeAt(0) === 0x23 /* # */) continue;

    const comma = line.indexOf(",");
    const isFirst = !sawFirstContentLine;
    sawFirstContentLine = true;

    if (comma === -1) {
      diagnostics.push({
        line: lineNo,
        code: "missing-comma",
        message: `line ${lineNo}: no comma; expected "key,value" (got ${JSON.stringify(excerpt(line))})`,
      });
      continue;
    }

    const key = line.slice(0, comma).trim();
    let value = line.slice(comma + 1).trim();

    if (isFirst && isHeader(key, value)) continue;

    if (key.length === 0) {
      diagnostics.push({
        line: lineNo,
        code: "empty-key",
        message: `line ${lineNo}: empty key before the comma; line skipped`,
      });
      continue;
    }

    // A key is a name the botserver looks up and operators read in logs and the API: control characters
    // (a NUL, an old-Mac lone CR, an escape sequence) are never part of one.
    if (CONTROL_CHARACTERS.test(key)) {
      diagnostics.push({
        line: lineNo,
        code: "control-characters",
        message: `line ${lineNo}: the key contains control characters; line skipped`,
      });
      continue;
    }

    if (value.charCodeAt(0) === 0x22 /* " */) {
      if (value.length >= 2 && value.charCodeAt(value.length - 1) === 0x22) {
        value = value.slice(1, -1).replaceAll('""', '"');
      } else {
        diagnostics.push({
          line: lineNo,
          code: "unterminated-quote",
          message: `line ${lineNo}: the value of ${JSON.stringify(key)} starts with a double quote but does not end with one; kept as written`,
        });
      }
    }

    const previous = byKey.get(key);
    if (previous !== undefined) {
      diagnostics.push({
        line: lineNo,
        code: "duplicate-key",
        message: `line ${lineNo}: duplicate key ${JSON.stringify(key)} (also set on line ${previous.line}); the value on line ${lineNo} wins`,
      });
      byKey.delete(key);
    }
    byKey.set(key, { key, value, type: inferConfigType(value), line: lineNo });
  }

  return { entries: Array.from(byKey.values()), diagnostics };
}

function isHeader(key: string, value: string): boolean {
  if (value.length !== 5 || value.toLowerCase() !== "value") return false;
  const k = key.toLowerCase();
  return k === "name" || k === "key";
}

function excerpt(line: string): string {
  const chars = Array.from(line); // by code point, so a surrogate pair is never cut in half
  return chars.length <= EXCERPT_MAX ? line : chars.slice(0, EXCERPT_MAX - 1).join("") + "…";
}

function decodeUtf8(bytes: Uint8Array): string {
  const bom = utf8BomLength(bytes);
  try {
    return decodeUtf8Strict(bytes.subarray(bom));
  } catch (cause) {
    const offset = firstInvalidUtf8Offset(bytes, bom);
    if (offset === -1) {
      throw new BotsyncError("CONFIG_INVALID_UTF8", "config.csv is not valid UTF-8", { cause });
    }
    let line = 1;
    for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
    const byte = bytes[offset]!.toString(16).padStart(2, "0");
    throw new BotsyncError(
      "CONFIG_INVALID_UTF8",
      `config.csv is not valid UTF-8: invalid byte sequence at line ${line}, byte offset ${offset} (byte 0x${byte}); save the file as UTF-8`,
      { cause, details: { line, offset } },
    );
  }
}

/**
 * Offset of the lead byte of the first ill-formed sequence (WHATWG / Unicode "maximal subpart" rules, the
 * same ones TextDecoder applies: no overlongs, no surrogates, nothing above U+10FFFF), or -1.
 */
function firstInvalidUtf8Offset(bytes: Uint8Array, from: number): number {
  const n = bytes.length;
  let i = from;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= n) return i; // truncated at end of input
    const b1 = bytes[i + 1]!;
    if (b1 < lo || b1 > hi) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}
