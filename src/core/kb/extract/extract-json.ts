/**
 * json / jsonl.
 *
 * Library: none — the platform's `JSON.parse` (native, fast, in Node and workerd alike).
 *
 * The botserver concatenates "all string leaves" and falls back to the raw text when the file is not valid
 * JSON (reference/botserver.md §4.2). We keep the fallback, but write every scalar leaf on its own line and
 * prefix a leaf that is an object member with its member name: `{"price": 12.5, "name": "Widget"}` gives
 * "price: 12.5" and "name: Widget"; array items take the name of the array
 * (`{"tags": ["a", "b"]}` → "tags: a", "tags: b"). Numbers and booleans are kept (the botserver drops them, so "how much is
 * the widget?" could never be answered from a catalogue); member names give a chunk its meaning. null and
 * empty strings are skipped; values are trimmed. Leaves come in document order; the walk uses an explicit stack (no recursion limit).
 *
 * jsonl: each non-blank line is one JSON value, flattened the same way; a line that does not parse is kept
 * verbatim (with one warning counting such lines). Lines are read as the bytes arrive, so reading stops
 * where the text limit is reached; a JSON document is parsed whole (JSON.parse needs all of it).
 */
import type { ExtractContext, StreamingExtraction, TextSink } from "./context.js";
import { decodeText } from "./decode-text.js";
import { decodedInto } from "./extract-text.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Writes one leaf line. `key` is the member name (or the enclosing array's), null at the top level. */
export function writeLeaf(sink: TextSink, key: string | null, raw: string): void {
  const value = raw.trim();
  if (value.length === 0) return;
  sink.push(key === null || key.length === 0 ? `${value}\n` : `${key}: ${value}\n`);
}

/** Writes the scalar leaves of a parsed JSON value, in document order. */
export function flattenJson(root: unknown, sink: TextSink, ctx: ExtractContext): void {
  const stack: Array<[unknown, string | null]> = [[root, null]];
  let steps = 0;
  while (stack.length > 0) {
    const [value, key] = stack.pop() as [unknown, string | null];
    if ((++steps & 0xffff) === 0) ctx.deadline.check();
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], key]);
    } else if (typeof value === "object") {
      const entries = Object.entries(value as Record<string, Json>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i] as [string, Json];
        stack.push([v, k]);
      }
    } else {
      writeLeaf(sink, key, String(value));
    }
  }
}

export function extractJson(bytes: Uint8Array, ctx: ExtractContext): void {
  const decoded = decodeText(bytes);
  for (const w of decoded.warnings) ctx.warn(w);
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded.text);
  } catch (error) {
    ctx.warn(`not valid JSON (${error instanceof Error ? error.message : String(error)}); indexed as plain text`);
    ctx.sink.push(decoded.text);
    return;
  }
  flattenJson(parsed, ctx.sink, ctx);
}

export function extractJsonLines(ctx: ExtractContext): StreamingExtraction {
  let bad = 0;
  let lineNo = 0;
  // the start of a line whose end has not arrived yet (kept in parts: one long line must not be re-copied per piece)
  let partial: string[] = [];
  const line = (raw: string) => {
    if ((++lineNo & 0x3ff) === 0) ctx.deadline.check();
    const text = raw.trim();
    if (text.length === 0) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      bad++;
      ctx.sink.push(text + "\n");
      return;
    }
    flattenJson(parsed, ctx.sink, ctx);
  };
  return decodedInto(
    (text) => {
      let from = 0;
      for (let to = text.indexOf("\n"); to >= 0; to = text.indexOf("\n", from)) {
        const piece = text.slice(from, to);
        from = to + 1;
        if (partial.length === 0) line(piece);
        else {
          partial.push(piece);
          const whole = partial.join("");
          partial = [];
          line(whole);
        }
      }
      if (from < text.length) partial.push(text.slice(from));
    },
    () => {
      if (partial.length > 0) line(partial.join(""));
      partial = [];
    },
    () => (bad > 0 ? [`${bad} line${bad === 1 ? " is" : "s are"} not valid JSON; indexed as plain text`] : []),
  );
}
