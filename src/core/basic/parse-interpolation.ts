/**
 * `${expr}` interpolation, as used in BEGIN TALK / BEGIN MAIL / BEGIN SYSTEM PROMPT lines and in Rhai
 * back-tick strings. Splitting is a plain scan; each expression part is lexed in place (positions point
 * into the original source) and parsed as an ordinary expression.
 */
import { DiagnosticSink, ParseAbort } from "./diagnostics.js";
import { lexFragment } from "./lexer.js";
import { assertTreeDepth, MAX_EXPRESSION_TREE_DEPTH } from "./expression-depth.js";
import type { Expr } from "./syntax-tree.js";
import { TokenCursor } from "./token-cursor.js";

export type Segment = { kind: "text"; start: number; end: number } | { kind: "expr"; start: number; end: number };

/**
 * Splits `source[start, end)` into text and `${…}` parts (offsets exclude the `${` and `}`).
 * `unterminatedAt` is the offset of a `${` without its `}`; the rest is then text.
 */
export function splitInterpolations(source: string, start: number, end: number): { segments: Segment[]; unterminatedAt: number | null } {
  const segments: Segment[] = [];
  let textStart = start;
  let p = start;
  while (p < end) {
    const c = source.charCodeAt(p);
    if (c === 92 /* \ */) {
      p += 2;
      continue;
    }
    if (c !== 36 /* $ */ || source.charCodeAt(p + 1) !== 123 /* { */ || p + 1 >= end) {
      p++;
      continue;
    }
    const close = matchingBrace(source, p + 2, end);
    if (close < 0) {
      if (textStart < end) segments.push({ kind: "text", start: textStart, end });
      return { segments, unterminatedAt: p };
    }
    if (textStart < p) segments.push({ kind: "text", start: textStart, end: p });
    segments.push({ kind: "expr", start: p + 2, end: close });
    p = close + 1;
    textStart = p;
  }
  if (textStart < end) segments.push({ kind: "text", start: textStart, end });
  return { segments, unterminatedAt: null };
}

/** Offset of the `}` closing an interpolation whose content starts at `from`, or -1. */
function matchingBrace(source: string, from: number, end: number): number {
  let depth = 0;
  for (let p = from; p < end; p++) {
    const c = source.charCodeAt(p);
    if (c === 34 /* " */) {
      p++;
      while (p < end && source.charCodeAt(p) !== 34) p += source.charCodeAt(p) === 92 ? 2 : 1;
    } else if (c === 123) depth++;
    else if (c === 125) {
      if (depth === 0) return p;
      depth--;
    }
  }
  return -1;
}

/** 1-based line/column of `offset`, counting from a known position. */
export function positionAt(source: string, known: { offset: number; line: number; column: number }, offset: number): { line: number; column: number } {
  let line = known.line;
  let column = known.column;
  for (let p = known.offset; p < offset; p++) {
    const c = source.charCodeAt(p);
    if (c === 10 || (c === 13 && source.charCodeAt(p + 1) !== 10)) {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column };
}

/**
 * Parses the expression of one `${…}` part. A lexical or syntax error aborts (ParseAbort) with its
 * diagnostic; callers that must carry on (BEGIN blocks) catch it.
 */
export function parseInterpolatedExpression(
  source: string,
  segment: { start: number; end: number },
  at: { line: number; column: number },
  parse: (cursor: TokenCursor) => Expr,
): Expr {
  const lexSink = new DiagnosticSink();
  const tokens = lexFragment(source, segment.start, segment.end, at.line, at.column, lexSink);
  const lexError = lexSink.items[0];
  if (lexError !== undefined) throw new ParseAbort(lexError);
  const endAt = positionAt(source, { offset: segment.start, ...at }, segment.end);
  const cursor = new TokenCursor(tokens, { offset: segment.end, ...endAt });
  const expr = parse(cursor);
  cursor.expectStatementEnd();
  if (tokens.length > MAX_EXPRESSION_TREE_DEPTH) assertTreeDepth([expr]);
  return expr;
}
