/**
 * BEGIN TALK / BEGIN MAIL <to> / BEGIN SYSTEM PROMPT … END …: blocks of text lines (raw tokens from the
 * lexer) with `${expr}` interpolation.
 *   - TALK: one TALK per non-blank line, as the botserver's compiler writes it;
 *   - MAIL: an optional first line `Subject: …`, then the body; interior blank lines are kept;
 *   - SYSTEM PROMPT: parsed (so its lines are not read as statements), then one error: the runtime has no
 *     way for a script to set the system prompt.
 * Errors inside a block never abort it: the block always consumes its lines up to END.
 */
import { abort, ParseAbort, spanOf, type Span } from "./diagnostics.js";
import { ExpressionParser } from "./parse-expressions.js";
import { parseInterpolatedExpression, splitInterpolations } from "./parse-interpolation.js";
import type { StatementParser } from "./parse-statements.js";
import type { Expr, InterpolatedText, Stmt } from "./syntax-tree.js";
import { spanBetween } from "./token-cursor.js";
import { describeToken, isWord, type Token } from "./tokens.js";

type BlockKind = "TALK" | "MAIL" | "SYSTEM PROMPT";

export function parseBeginBlock(p: StatementParser, begin: Token): Stmt {
  const c = p.cursor;
  const { sink } = p.context;
  c.pos++;
  const kindToken = c.peek();
  let kind: BlockKind | null = null;
  let to: Expr = { kind: "error", span: spanOf(kindToken) };
  try {
    if (c.acceptWord("TALK")) kind = "TALK";
    else if (c.acceptWord("MAIL")) {
      kind = "MAIL";
      to = p.exprs.parseExpression();
    } else if (c.acceptWord("SYSTEM")) {
      c.expectWord("PROMPT", "after BEGIN SYSTEM");
      kind = "SYSTEM PROMPT";
    } else {
      abort("expected-token", `Expected TALK, MAIL or SYSTEM PROMPT after BEGIN, found ${describeToken(kindToken)}`, spanOf(kindToken));
    }
    c.expectStatementEnd();
  } catch (e) {
    if (!(e instanceof ParseAbort)) throw e;
    sink.addSyntaxError(e.diagnostic);
    c.skipStatement();
    if (kind === null) return { kind: "talk-block", lines: [], span: spanOf(begin) };
  }

  const lines: Token[] = [];
  for (;;) {
    c.skipSeparators();
    const t = c.peek();
    if (t.kind === "raw") {
      lines.push(t);
      c.pos++;
    } else if (isWord(t, "END")) {
      c.pos++;
      for (const word of kind.split(" ")) c.acceptWord(word);
      break;
    } else {
      sink.error("missing-end", `BEGIN ${kind} without END ${kind}`, spanBetween(begin, kindToken));
      break;
    }
  }
  const span = spanBetween(begin, c.previous());
  const texts = lines.map((line) => interpolatedLine(p, line, line.start, line.end));
  switch (kind) {
    case "TALK":
      return { kind: "talk-block", lines: texts.filter((_, i) => lines[i]!.text !== ""), span };
    case "SYSTEM PROMPT":
      sink.error(
        "no-runtime-form",
        "BEGIN SYSTEM PROMPT: the botserver runtime registers no syntax and no function a script can set the system prompt with (its only SET is `SET MODEL ROUTING expr`, and SET_CONTEXT is not a function)",
        spanBetween(begin, kindToken),
      );
      return { kind: "system-prompt", lines: trimBlankLines(texts, lines), span };
    case "MAIL": {
      let subject: InterpolatedText | null = null;
      const first = lines.findIndex((l) => l.text !== "");
      const firstLine = lines[first];
      if (firstLine !== undefined && firstLine.text.slice(0, 8).toLowerCase() === "subject:") {
        let from = firstLine.start + 8;
        while (p.context.source[from] === " " || p.context.source[from] === "\t") from++;
        subject = interpolatedLine(p, firstLine, from, firstLine.end);
        texts.splice(0, first + 1);
        lines.splice(0, first + 1);
      }
      return { kind: "mail-block", to, subject, body: trimBlankLines(texts, lines), span };
    }
  }
}

function trimBlankLines(texts: InterpolatedText[], lines: Token[]): InterpolatedText[] {
  let from = 0;
  let to = lines.length;
  while (from < to && lines[from]!.text === "") from++;
  while (to > from && lines[to - 1]!.text === "") to--;
  return texts.slice(from, to);
}

/** The text of `line` from offset `start` to `end` (inside the line), split at `${…}`. */
function interpolatedLine(p: StatementParser, line: Token, start: number, end: number): InterpolatedText {
  const { source, sink } = p.context;
  const columnOf = (offset: number) => line.column + (offset - line.start);
  const span: Span = { line: line.line, column: columnOf(start), endLine: line.line, endColumn: columnOf(end) };
  const { segments, unterminatedAt } = splitInterpolations(source, start, end);
  if (unterminatedAt !== null) {
    const column = columnOf(unterminatedAt);
    sink.error("unterminated-interpolation", "'${' is not closed by '}'", { line: line.line, column, endLine: line.line, endColumn: column + 2 });
  }
  const parts: InterpolatedText["parts"] = [];
  for (const seg of segments) {
    if (seg.kind === "text") {
      parts.push({ kind: "text", text: source.slice(seg.start, seg.end) });
      continue;
    }
    const at = { line: line.line, column: columnOf(seg.start) };
    try {
      const expr = parseInterpolatedExpression(source, seg, at, (cursor) => new ExpressionParser(cursor, p.context).parseExpression());
      parts.push({ kind: "expr", expr });
    } catch (e) {
      if (!(e instanceof ParseAbort)) throw e;
      sink.add(e.diagnostic);
      parts.push({ kind: "expr", expr: { kind: "error", span: { ...at, endLine: at.line, endColumn: columnOf(seg.end) } } });
    }
  }
  return { span, parts };
}
