/**
 * json / jsonl.
 *
 * The botserver concatenates "all string leaves" and falls back to the raw text when the file is not valid
 * JSON (docs/botserver-compatibility.md, "Knowledge base: formats and caps"). We keep the fallback, but
 * write every scalar leaf on its own line and
 * prefix a leaf that is an object member with its member name: `{"price": 12.5, "name": "Widget"}` gives
 * "price: 12.5" and "name: Widget"; array items take the name of the array
 * (`{"tags": ["a", "b"]}` → "tags: a", "tags: b"). Numbers and booleans are kept (the botserver drops them, so "how much is
 * the widget?" could never be answered from a catalogue); member names give a chunk its meaning. null and
 * empty strings are skipped; values are trimmed. Leaves come in document order (repeated member names
 * included, each where it stands).
 *
 * json: library `@streamparser/json` (pure JS, no dependencies, runs in workerd) — its Tokenizer only; the
 * document is never built: leaves are written as the tokens arrive, so a 100 MiB file costs no more memory
 * than a small one and reading stops at the text limit (`JSON.parse` of the whole file needed several times
 * its size). Until the JSON proves invalid the raw text is kept too, up to the text limit, so the fallback
 * can still replace the leaves with it.
 *
 * jsonl: each non-blank line is one JSON value, flattened the same way (`JSON.parse` per line); a line that
 * does not parse is kept verbatim (with one warning counting such lines). Lines are read as the bytes
 * arrive, so reading stops where the text limit is reached.
 */
import { Tokenizer, TokenType } from "@streamparser/json";
import { isExtractionSignal, messageOf, type ExtractContext, type StreamingExtraction, type TextSink } from "./context.js";
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

export function extractJson(ctx: ExtractContext): StreamingExtraction {
  const leaves = new JsonLeafWriter(ctx);
  const tokenizer = new Tokenizer();
  tokenizer.onToken = ({ token, value }) => leaves.token(token, value);
  let raw: string[] | null = [];
  let rawChars = 0;
  let invalid = false;
  const fallBack = (error: unknown) => {
    if (isExtractionSignal(error)) throw error;
    invalid = true;
    ctx.warn(`not valid JSON (${messageOf(error)}); indexed as plain text`);
    ctx.sink.reset();
    const text = (raw ?? []).join("");
    raw = null;
    ctx.sink.push(text);
  };
  return decodedInto(
    (text) => {
      if (invalid) return ctx.sink.push(text);
      if (raw !== null && rawChars <= ctx.limits.maxExtractedChars) {
        raw.push(text);
        rawChars += text.length;
      }
      try {
        tokenizer.write(text);
      } catch (error) {
        fallBack(error);
      }
    },
    () => {
      if (invalid) return;
      try {
        tokenizer.end();
        if (leaves.tokens === 0) throw new Error("no JSON value"); // only white space
      } catch (error) {
        fallBack(error);
      }
    },
  );
}

/** flattenJson's lines, from the tokens of a document as they arrive (one frame per open object or array). */
class JsonLeafWriter {
  private readonly frames: Array<{ object: boolean; name: string | null; key: string | null; expectKey: boolean }> = [];
  tokens = 0;

  constructor(private readonly ctx: ExtractContext) {}

  token(token: TokenType, value: unknown): void {
    if ((++this.tokens & 0xffff) === 0) this.ctx.deadline.check();
    const top = this.frames[this.frames.length - 1];
    switch (token) {
      case TokenType.LEFT_BRACE:
      case TokenType.LEFT_BRACKET:
        this.frames.push({ object: token === TokenType.LEFT_BRACE, name: this.name(), key: null, expectKey: true });
        return;
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET:
        this.frames.pop();
        return;
      case TokenType.COMMA:
        if (top) top.expectKey = true;
        return;
      case TokenType.STRING:
        if (top?.object && top.expectKey) {
          top.key = value as string;
          top.expectKey = false;
          return;
        }
        break;
      case TokenType.NUMBER:
      case TokenType.TRUE:
      case TokenType.FALSE:
        break;
      default: // null, ':' and separators
        return;
    }
    writeLeaf(this.ctx.sink, this.name(), String(value));
  }

  /** The name a value takes where it stands: its member name, or the name of the array it is in. */
  private name(): string | null {
    const top = this.frames[this.frames.length - 1];
    if (top === undefined) return null;
    return top.object ? top.key : top.name;
  }
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
