/**
 * PARAM and DESCRIPTION lines: the tool definitions. The grammar is the botserver's word-based one:
 *   PARAM name [AS type] [LIKE example] [ENUM [a, "b", 'c']] [DESCRIPTION "text"]
 * name = the first word; type = the word after `AS` (lower-cased, default `string`); example = the word
 * after `LIKE`, unquoted; description = from the first `"` after `DESCRIPTION` to the last `"` of the
 * line. Differences: keywords are found as whole words outside quotes (the botserver's substring search
 * finds `LIKE` inside a description), a bare example (`LIKE 2`) is the example (the botserver takes the
 * next quoted text, i.e. the description), ENUM values may contain quoted commas, keywords are
 * case-insensitive.
 */
import type { DiagnosticSink, Span } from "./diagnostics.js";
import type { ToolParam } from "./syntax-tree.js";
import type { Token } from "./tokens.js";

interface Word {
  text: string;
  start: number; // offset in the raw text
}

/** Whitespace-separated words; a quoted string or a `[…]` list counts as one word. */
function words(raw: string): Word[] {
  const out: Word[] = [];
  let p = 0;
  while (p < raw.length) {
    while (p < raw.length && (raw[p] === " " || raw[p] === "\t")) p++;
    if (p >= raw.length) break;
    const start = p;
    while (p < raw.length && raw[p] !== " " && raw[p] !== "\t") {
      const ch = raw[p];
      if (ch === '"' || ch === "'" || ch === "[") {
        const close = raw.indexOf(ch === "[" ? "]" : ch, p + 1);
        p = close < 0 ? raw.length : close + 1;
      } else p++;
    }
    out.push({ text: raw.slice(start, p), start });
  }
  return out;
}

function spanAt(token: Token, offset: number, length: number): Span {
  return { line: token.line, column: token.column + offset, endLine: token.line, endColumn: token.column + offset + length };
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Words that start the next part of a PARAM line. */
const PARAM_KEYWORDS = new Set(["AS", "LIKE", "ENUM", "DESCRIPTION"]);

/** Parses the text after `PARAM`; null (with a warning) when the botserver would drop the line. */
export function parseParam(keyword: Token, rest: Token | null, sink: DiagnosticSink): ToolParam | null {
  const raw = rest?.text ?? "";
  const list = words(raw);
  if (list.length < 3) {
    sink.warning(
      "invalid-param",
      "PARAM needs at least a name and a type (PARAM name AS type …); the botserver ignores this line and so does the tool definition",
      rest === null ? spanAt(keyword, 0, keyword.text.length) : spanAt(rest, 0, raw.length),
    );
    return null;
  }
  const name = list[0]!;
  if (!IDENTIFIER.test(name.text)) {
    sink.warning("invalid-param", `PARAM name "${name.text}" is not a valid identifier`, spanAt(rest!, name.start, name.text.length));
  }
  const find = (upper: string) => list.findIndex((w, i) => i > 0 && w.text.toUpperCase() === upper);

  const asAt = find("AS");
  const basicType = asAt >= 0 && list[asAt + 1] !== undefined ? list[asAt + 1]!.text.toLowerCase() : "string";

  // The example is the word after LIKE: a quoted text or a bare value (`LIKE 2`). The botserver takes the
  // first quoted text after LIKE, which for `LIKE 2 DESCRIPTION "How many"` is the description.
  let example: string | null = null;
  const likeAt = find("LIKE");
  const like = likeAt >= 0 ? list[likeAt + 1] : undefined;
  if (like !== undefined && !PARAM_KEYWORDS.has(like.text.toUpperCase())) example = unquote(like.text);

  let enumValues: string[] | null = null;
  const enumAt = find("ENUM");
  if (enumAt >= 0) {
    const list_ = list[enumAt + 1];
    if (list_ === undefined || !list_.text.startsWith("[")) {
      sink.warning("invalid-param", "ENUM needs a list: ENUM [a, b, c]", spanAt(rest!, list[enumAt]!.start, 4));
    } else enumValues = splitEnum(list_.text);
  }

  let description = "";
  const descriptionAt = find("DESCRIPTION");
  if (descriptionAt >= 0) {
    const after = list[descriptionAt]!.start + "DESCRIPTION".length;
    const first = raw.indexOf('"', after);
    const last = raw.lastIndexOf('"');
    if (first >= 0 && last > first) description = raw.slice(first + 1, last);
    else sink.warning("invalid-description", 'DESCRIPTION needs a quoted text: DESCRIPTION "…"', spanAt(rest!, list[descriptionAt]!.start, 11));
  }
  return { name: name.text, basicType, example, enumValues, description };
}

function unquote(text: string): string {
  const q = text[0];
  if ((q === '"' || q === "'") && text.length >= 2 && text[text.length - 1] === q) return text.slice(1, -1);
  if (q === '"' || q === "'") return text.slice(1);
  return text;
}

/** `[a, "b", 'c, d']` → a, b, c, d  (commas inside quotes do not split). */
function splitEnum(text: string): string[] {
  const inner = text.slice(1, text.endsWith("]") ? -1 : undefined);
  const values: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (const ch of inner) {
    if (quote !== null) {
      if (ch === quote) quote = null;
      current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
    } else if (ch === ",") {
      values.push(current);
      current = "";
    } else current += ch;
  }
  values.push(current);
  return values.map((v) => unquote(v.trim())).filter((v) => v !== "");
}

/** `DESCRIPTION "…"`: the text between the first and the last `"` of the line; null when there is none. */
export function parseDescription(keyword: Token, rest: Token | null, sink: DiagnosticSink): string | null {
  const raw = rest?.text ?? "";
  const first = raw.indexOf('"');
  const last = raw.lastIndexOf('"');
  if (first >= 0 && last > first) return raw.slice(first + 1, last);
  sink.warning(
    "invalid-description",
    'DESCRIPTION needs a quoted text: DESCRIPTION "…"',
    rest === null ? spanAt(keyword, 0, keyword.text.length) : spanAt(rest, 0, raw.length),
  );
  return null;
}
