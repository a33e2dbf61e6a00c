/**
 * Cleaning and chunking of extracted text, as the botserver does it by default (its
 * `DocumentProcessor::clean_text` / `create_chunks`; docs/botserver-compatibility.md, "Knowledge base:
 * cleaning and chunking"), tunable per bot through config.csv.
 *
 * Cleaning (`cleanText`) — the botserver's three steps, done in two linear passes:
 *   1. trim each line, drop empty lines;  2. drop control characters except white space;
 *   3. collapse all white space, newlines included, to single spaces (`split_whitespace().join(" ")`).
 *   "Control" is Unicode Cc (U+0000–U+001F, U+007F–U+009F) and "white space" is Unicode White_Space, as
 *   Rust's `char::is_control` / `char::is_whitespace` define them (so U+001C–U+001F are dropped, U+0085 is
 *   white space, and U+FEFF is neither — JavaScript's `\s` differs on those, so it is not used).
 *   Step 1 only ever removes white space, which step 3 collapses anyway, so 2 + 3 give the same result
 *   (a test checks this against a literal three-step port on random text).
 *
 * Chunking (`chunkText`) — sizes are in CHARACTERS = Unicode code points (Rust `chars()`), not UTF-16 units
 * and not tokens. With size S (default 1000), overlap O (default 200), minChunk M (default 10):
 *
 *   start = 0; index = 0
 *   while start < len:
 *     end = min(start + S, len); chunkEnd = end
 *     if end < len: look for white space at i = end-1 down to max(start, end-L);  found → chunkEnd = i + 1
 *     content = chars[start .. chunkEnd)                       (kept as is: it ends with that white space)
 *     if trim(content) has fewer than M characters: start = chunkEnd; continue     (skipped, index unchanged)
 *     emit { index, text: content, start, end: chunkEnd }; index++
 *     if chunkEnd == len: stop                                                            (see fix 1)
 *     start = chunkEnd >= O ? chunkEnd - O : chunkEnd
 *
 *   L, the look-back window for the white-space cut, is 100 as in the botserver, capped at S − O − 1 for
 *   custom sizes so every step moves forward (with the defaults: min(100, 799) = 100).
 *
 * Deliberate differences from the botserver (bugs it has that we do not copy):
 *   1. It loops `while start < len && idx < total_chunks` with `total_chunks = ceil(len / (S − O))`. After the
 *      chunk that reaches the end it steps back by O and emits the last O characters again as an extra chunk
 *      (a chunk that is pure overlap) until idx reaches total_chunks; and because white-space cuts make steps
 *      shorter than S − O, total_chunks can run out BEFORE the end of the text, silently dropping the tail of
 *      long documents. We stop exactly after the chunk that reaches the end, and never drop the tail.
 *   2. It truncates documents past MAX_CHUNKS = 1000 chunks (≈ 800,000 characters). Our cap is `maxChunks`
 *      (default 10,000, config key `kb-max-chunks`), and `chunkDocument` reports `truncated` so the job can
 *      record a warning instead of indexing a prefix silently.
 *   3. The tiny-chunk test is `content.trim().len() < 10` in Rust, i.e. UTF-8 BYTES; we count characters, like
 *      every other size here (it only differs for chunks of 4–9 non-ASCII characters).
 *
 * Offsets: `start`/`end` are code-point offsets into the text that was chunked (for `chunkDocument`, the
 * CLEANED text it returns), the botserver's `start_char`/`end_char`. They equal UTF-16 indices when the text
 * has no characters outside the BMP; `utf16Start`/`utf16End` are always the UTF-16 indices
 * (`text.slice(utf16Start, utf16End) === chunk.text`).
 *
 * Speed: one pass, no quadratic slicing — each chunk is one `slice`; texts with astral characters get a
 * code-point → UTF-16 index table (4 bytes per character).
 */

export interface ChunkingOptions {
  /** Characters per chunk (botserver: 1000). */
  size: number;
  /** Characters shared by consecutive chunks (botserver: 200). */
  overlap: number;
  /** Chunks whose trimmed content has fewer characters are skipped (botserver: 10). */
  minChunk: number;
  /** At most this many chunks per document; the rest is dropped and reported as truncated. */
  maxChunks: number;
}

export interface Chunk {
  /** 0-based position among the emitted chunks (skipped tiny chunks take no index). */
  index: number;
  text: string;
  /** Code-point offsets into the chunked text: [start, end). */
  start: number;
  end: number;
  /** UTF-16 offsets into the chunked text: [utf16Start, utf16End). */
  utf16Start: number;
  utf16End: number;
}

export const DEFAULT_CHUNKING: Readonly<ChunkingOptions> = Object.freeze({
  size: 1000,
  overlap: 200,
  minChunk: 10,
  maxChunks: 10_000,
});

/** The botserver's look-back window for the white-space cut. */
export const WHITESPACE_LOOKBACK = 100;

/** config.csv keys (values are integers). The botserver has none: its sizes are fixed. */
export const CHUNKING_CONFIG_KEYS = {
  size: "kb-chunk-size",
  overlap: "kb-chunk-overlap",
  minChunk: "kb-min-chunk-size",
  maxChunks: "kb-max-chunks",
} as const;

/** Accepted ranges; `overlap` must also be at most half of `size`, `minChunk` at most `size`. */
export const CHUNKING_LIMITS = {
  size: { min: 100, max: 100_000 },
  overlap: { min: 0, max: 50_000 },
  minChunk: { min: 0, max: 100_000 },
  maxChunks: { min: 1, max: 1_000_000 },
} as const;

// ---------------------------------------------------------------------------------------------------------
// cleaning

function isWhiteSpaceCode(c: number): boolean {
  return (
    c === 0x20 ||
    (c >= 0x09 && c <= 0x0d) ||
    (c > 0x7f &&
      (c === 0x85 ||
        c === 0xa0 ||
        c === 0x1680 ||
        (c >= 0x2000 && c <= 0x200a) ||
        c === 0x2028 ||
        c === 0x2029 ||
        c === 0x202f ||
        c === 0x205f ||
        c === 0x3000))
  );
}

/** Unicode Cc that is not White_Space: dropped. */
const CONTROL_RUN = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f]+/g;
const HAS_CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f]/;
/**
 * Unicode White_Space (Rust `char::is_whitespace`) to replace by one space: a run of two or more, or a
 * single one that is not U+0020 (matching lone spaces too would replace every space of the text by itself).
 */
const WHITESPACE_TO_COLLAPSE =
  /[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]{2,}|[\u0009-\u000d\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g;

/**
 * The botserver's `clean_text`: no control characters, white space collapsed to single spaces, trimmed.
 * Two linear regex passes (the first skipped when there is no control character); measured faster than a
 * hand-written loop that copies slices, in V8, for both prose and line-per-record text.
 */
export function cleanText(text: string): string {
  const noControl = HAS_CONTROL.test(text) ? text.replace(CONTROL_RUN, "") : text;
  const collapsed = noControl.replace(WHITESPACE_TO_COLLAPSE, " ");
  const from = collapsed.charCodeAt(0) === 0x20 ? 1 : 0;
  const to = collapsed.length > from && collapsed.charCodeAt(collapsed.length - 1) === 0x20 ? collapsed.length - 1 : collapsed.length;
  return from === 0 && to === collapsed.length ? collapsed : collapsed.slice(from, to);
}

// ---------------------------------------------------------------------------------------------------------
// chunking

const SURROGATE = /[\ud800-\udfff]/;

/** Code-point index → UTF-16 index (length = code points + 1), or null when they are the same. */
function codePointTable(text: string): Uint32Array | null {
  if (!SURROGATE.test(text)) return null;
  const table = new Uint32Array(text.length + 1);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    table[n++] = i;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  table[n] = text.length;
  return table.subarray(0, n + 1);
}

/** True when text[from, to) (UTF-16 indices), trimmed of white space, has fewer than `min` code points. */
function isTiny(text: string, from: number, to: number, min: number): boolean {
  while (from < to && isWhiteSpaceCode(text.charCodeAt(from))) from++;
  while (to > from && isWhiteSpaceCode(text.charCodeAt(to - 1))) to--;
  if (to - from >= 2 * min) return false; // a code point is at most 2 units: no need to count
  return codePointsIn(text, from, to) < min;
}

function codePointsIn(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > from) {
      const p = text.charCodeAt(i - 1);
      if (p >= 0xd800 && p <= 0xdbff) continue; // second half of a pair
    }
    n++;
  }
  return n;
}

/** Fills in and validates options (throws RangeError on options that could not terminate sensibly). */
export function resolveChunkingOptions(options: Partial<ChunkingOptions> = {}): ChunkingOptions {
  const o: ChunkingOptions = { ...DEFAULT_CHUNKING, ...options };
  const intIn = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
  if (!intIn(o.size, 1, Number.MAX_SAFE_INTEGER)) throw new RangeError(`chunk size must be a positive integer, got ${o.size}`);
  if (!intIn(o.overlap, 0, o.size - 1)) throw new RangeError(`chunk overlap must be an integer in [0, size), got ${o.overlap}`);
  if (!intIn(o.minChunk, 0, Number.MAX_SAFE_INTEGER)) throw new RangeError(`min chunk must be a non-negative integer, got ${o.minChunk}`);
  if (!intIn(o.maxChunks, 1, Number.MAX_SAFE_INTEGER)) throw new RangeError(`max chunks must be a positive integer, got ${o.maxChunks}`);
  return o;
}

export interface ChunkTextResult {
  chunks: Chunk[];
  /** True when `maxChunks` stopped chunking before the end of the text. */
  truncated: boolean;
}

/** Chunks `text` as given (no cleaning). See the module comment for the exact rules. */
export function chunkText(text: string, options: Partial<ChunkingOptions> = {}): Chunk[] {
  return chunkTextDetailed(text, options).chunks;
}

/** `chunkText`, also telling whether `maxChunks` cut the document short. */
export function chunkTextDetailed(text: string, options: Partial<ChunkingOptions> = {}): ChunkTextResult {
  const { size, overlap, minChunk, maxChunks } = resolveChunkingOptions(options);
  const lookback = Math.max(0, Math.min(WHITESPACE_LOOKBACK, size - overlap - 1));
  const table = codePointTable(text);
  const len = table === null ? text.length : table.length - 1;
  const at = table === null ? (cp: number) => cp : (cp: number) => table[cp] as number;

  const chunks: Chunk[] = [];
  let start = 0;
  while (start < len) {
    const end = Math.min(start + size, len);
    let chunkEnd = end;
    if (end < len) {
      const floor = Math.max(start, end - lookback);
      for (let i = end - 1; i >= floor; i--) {
        // a white-space character is always a single UTF-16 unit
        if (isWhiteSpaceCode(text.charCodeAt(at(i)))) {
          chunkEnd = i + 1;
          break;
        }
      }
    }
    const u16Start = at(start);
    const u16End = at(chunkEnd);
    if (isTiny(text, u16Start, u16End, minChunk)) {
      start = chunkEnd;
      continue;
    }
    if (chunks.length >= maxChunks) return { chunks, truncated: true };
    chunks.push({ index: chunks.length, text: text.slice(u16Start, u16End), start, end: chunkEnd, utf16Start: u16Start, utf16End: u16End });
    if (chunkEnd >= len) break;
    start = chunkEnd >= overlap ? chunkEnd - overlap : chunkEnd;
  }
  return { chunks, truncated: false };
}

export interface ChunkedDocument {
  /** The cleaned text the chunk offsets refer to. */
  text: string;
  chunks: Chunk[];
  truncated: boolean;
}

/** The botserver's pipeline: `cleanText`, then `chunkText` over the cleaned text. */
export function chunkDocument(rawText: string, options: Partial<ChunkingOptions> = {}): ChunkedDocument {
  const text = cleanText(rawText);
  const { chunks, truncated } = chunkTextDetailed(text, options);
  return { text, chunks, truncated };
}

// ---------------------------------------------------------------------------------------------------------
// options from config.csv

export interface ChunkingDiagnostic {
  key: string;
  value: string;
  message: string;
}

function parseIntValue(raw: string): number | null {
  const s = raw.trim();
  if (!/^[+]?\d{1,9}$/.test(s)) return null;
  return Number(s);
}

/**
 * Chunking options from a bot's config (key → value, as config.csv gives them). Keys, all optional:
 *
 * | key                 | default | accepted                                   |
 * | ------------------- | ------- | ------------------------------------------ |
 * | `kb-chunk-size`     | 1000    | integer 100 … 100,000 characters           |
 * | `kb-chunk-overlap`  | 200 ¹   | integer 0 … floor(size / 2)                 |
 * | `kb-min-chunk-size` | 10      | integer 0 … size                           |
 * | `kb-max-chunks`     | 10,000  | integer 1 … 1,000,000 chunks per document  |
 *
 * ¹ min(200, floor(size / 5)) when `kb-chunk-size` is set below 1000 (20 % of the chunk, as the defaults).
 *
 * Empty values count as absent. An invalid value is ignored (its default is used) and reported as a
 * diagnostic; when the overlap does not fit a (valid) custom size, it falls back to min(200, floor(size / 5)).
 * Pure: the same config always gives the same options and diagnostics.
 */
export function chunkingOptionsFromConfig(config: Readonly<Record<string, string>>): {
  options: ChunkingOptions;
  diagnostics: ChunkingDiagnostic[];
} {
  const diagnostics: ChunkingDiagnostic[] = [];
  const read = (field: keyof ChunkingOptions, min: number, max: number): number | undefined => {
    const key = CHUNKING_CONFIG_KEYS[field];
    const raw = Object.prototype.hasOwnProperty.call(config, key) ? config[key] : undefined;
    if (raw === undefined || raw.trim() === "") return undefined;
    const n = parseIntValue(raw);
    if (n === null || n < min || n > max) {
      diagnostics.push({
        key,
        value: raw,
        message: `${key} must be an integer from ${min} to ${max}; using the default ${DEFAULT_CHUNKING[field]}`,
      });
      return undefined;
    }
    return n;
  };

  const size = read("size", CHUNKING_LIMITS.size.min, CHUNKING_LIMITS.size.max) ?? DEFAULT_CHUNKING.size;
  const maxOverlap = Math.floor(size / 2);
  let overlap = read("overlap", CHUNKING_LIMITS.overlap.min, CHUNKING_LIMITS.overlap.max);
  if (overlap !== undefined && overlap > maxOverlap) {
    const fallback = Math.min(DEFAULT_CHUNKING.overlap, Math.floor(size / 5));
    diagnostics.push({
      key: CHUNKING_CONFIG_KEYS.overlap,
      value: config[CHUNKING_CONFIG_KEYS.overlap] ?? "",
      message: `${CHUNKING_CONFIG_KEYS.overlap} must be at most half of the chunk size (${maxOverlap}); using ${fallback}`,
    });
    overlap = fallback;
  }
  overlap ??= Math.min(DEFAULT_CHUNKING.overlap, Math.floor(size / 5));

  let minChunk = read("minChunk", CHUNKING_LIMITS.minChunk.min, CHUNKING_LIMITS.minChunk.max);
  if (minChunk !== undefined && minChunk > size) {
    diagnostics.push({
      key: CHUNKING_CONFIG_KEYS.minChunk,
      value: config[CHUNKING_CONFIG_KEYS.minChunk] ?? "",
      message: `${CHUNKING_CONFIG_KEYS.minChunk} must not exceed the chunk size (${size}); using the default ${DEFAULT_CHUNKING.minChunk}`,
    });
    minChunk = undefined;
  }
  const maxChunks = read("maxChunks", CHUNKING_LIMITS.maxChunks.min, CHUNKING_LIMITS.maxChunks.max);

  return {
    options: { size, overlap, minChunk: minChunk ?? DEFAULT_CHUNKING.minChunk, maxChunks: maxChunks ?? DEFAULT_CHUNKING.maxChunks },
    diagnostics,
  };
}
