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
 * verbatim (with one warning counting such lines).
 */
import type { ExtractContext, TextSink } from "./context.js";
import { decodeText } from "./decode-text.js";

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

export function extractJsonLines(bytes: Uint8Array, ctx: ExtractContext): void {
  const decoded = decodeText(bytes);
  for (const w of decoded.warnings) ctx.warn(w);
  const text = decoded.text;
  let bad = 0;
  let lineNo = 0;
  for (let from = 0; from < text.length; ) {
    let to = text.indexOf("\n", from);
    if (to < 0) to = text.length;
    const line = text.slice(from, to).trim();
    from = to + 1;
    if ((++lineNo & 0x3ff) === 0) ctx.deadline.check();
    if (line.length === 0) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      bad++;
      ctx.sink.push(line + "\n");
      continue;
    }
    flattenJson(parsed, ctx.sink, ctx);
  }
  if (bad > 0) ctx.warn(`${bad} line${bad === 1 ? " is" : "s are"} not valid JSON; indexed as plain text`);
}
