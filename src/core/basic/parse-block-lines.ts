/**
 * Block lines: IF/ELSEIF/ELSE/END IF (and single-line IF), SELECT [CASE]/CASE/CASE ELSE/END SELECT,
 * FOR EACH … IN …/FOR … = … TO … [STEP …]/NEXT [name], WHILE/WEND (END WHILE), DO [WHILE|UNTIL]/LOOP
 * [WHILE|UNTIL], WITH/END WITH, SUB/FUNCTION/END SUB/END FUNCTION, TABLE/END TABLE.
 */
import { abort, spanOf } from "./diagnostics.js";
import type { CloseKind, LineItem, OpenBlock } from "./line-items.js";
import type { StatementParser } from "./parse-statements.js";
import { stringValue } from "./string-literals.js";
import type { CaseTest, Expr, Stmt } from "./syntax-tree.js";
import { spanBetween } from "./token-cursor.js";
import { describeToken, endsStatement, isWord, type Token } from "./tokens.js";

/** The name of a block whose opening line failed to parse (no script can write an empty name). */
export const RECOVERED = "";

const END_TARGETS: Record<string, CloseKind> = {
  IF: "end-if",
  FOR: "next",
  SELECT: "end-select",
  WITH: "end-with",
  SUB: "end-sub",
  FUNCTION: "end-function",
  WHILE: "wend",
  TABLE: "end-table",
};

/**
 * The block line starting with `t`, or null when `t` does not start one (e.g. `NEXT IN QUEUE`).
 * `inlineOnly`: inside a single-line IF, where only a single-line IF is allowed.
 */
export function parseBlockLine(p: StatementParser, t: Token, inlineOnly = false): LineItem | null {
  const c = p.cursor;
  switch (t.upper) {
    case "IF":
      return ifLine(p, t, inlineOnly);
    case "ELSEIF": {
      c.pos++;
      const condition = p.exprs.parseExpression();
      c.expectWord("THEN", "after the ELSEIF condition");
      c.expectStatementEnd();
      return { kind: "else-if", condition, token: t };
    }
    case "ELSE": {
      c.pos++;
      if (c.atStatementEnd()) return { kind: "else", token: t, inline: null };
      if (isWord(c.peek(), "IF") && lineEndsWithThen(p)) {
        c.pos++;
        const condition = p.exprs.parseExpression();
        c.expectWord("THEN", "after the ELSE IF condition");
        c.expectStatementEnd();
        return { kind: "else-if", condition, token: t };
      }
      return { kind: "else", token: t, inline: p.nested(() => p.simpleStatement(false)) };
    }
    case "ENDIF":
      c.pos++;
      return close(p, t, "end-if");
    case "END": {
      c.pos++;
      const what = c.peek();
      const closes = END_TARGETS[what.upper];
      if (closes !== undefined) {
        c.pos++;
        return close(p, t, closes);
      }
      if (what.upper === "TALK" || what.upper === "MAIL" || what.upper === "SYSTEM") {
        abort("unmatched-end", `END ${what.upper === "SYSTEM" ? "SYSTEM PROMPT" : what.upper} without BEGIN`, spanBetween(t, what));
      }
      return abort("expected-token", `Expected IF, SELECT, FOR, WITH, SUB, FUNCTION, WHILE or TABLE after END, found ${describeToken(what)}`, spanOf(what));
    }
    case "SELECT": {
      c.pos++;
      c.acceptWord("CASE");
      return open(p, t, { kind: "select", subject: p.exprs.parseExpression() });
    }
    case "CASE":
      c.pos++;
      if (c.acceptWord("ELSE")) {
        c.expectStatementEnd();
        return { kind: "case-else", token: t };
      }
      return caseLine(p, t);
    case "FOR":
      c.pos++;
      if (c.acceptWord("EACH")) {
        const variable = c.expectName("after FOR EACH").text;
        c.expectWord("IN", "after the FOR EACH variable");
        const iterable = p.exprs.parseExpression();
        c.acceptWord("DO"); // FOR EACH x IN list DO
        return open(p, t, { kind: "for-each", variable, iterable });
      } else {
        const variable = c.expectName("after FOR").text;
        c.expectPunct("=", "after the FOR variable");
        const from = p.exprs.parseExpression();
        c.expectWord("TO", "in FOR … = … TO …");
        const to = p.exprs.parseExpression();
        const step = c.acceptWord("STEP") ? p.exprs.parseExpression() : null;
        c.acceptWord("DO");
        return open(p, t, { kind: "for-to", variable, from, to, step });
      }
    case "NEXT": {
      const n1 = c.peek(1);
      if (endsStatement(n1)) {
        c.pos++;
        return close(p, t, "next");
      }
      if (n1.kind === "identifier" && endsStatement(c.peek(2))) {
        c.pos += 2;
        return close(p, t, "next", n1.text);
      }
      return null; // NEXT IN QUEUE
    }
    case "WHILE": {
      c.pos++;
      const condition = p.exprs.parseExpression();
      c.acceptWord("DO"); // WHILE x DO
      return open(p, t, { kind: "while", condition });
    }
    case "WEND":
      c.pos++;
      return close(p, t, "wend");
    case "DO": {
      c.pos++;
      if (c.atStatementEnd()) return open(p, t, { kind: "do", test: null });
      const until = loopTestKeyword(p, "DO");
      return open(p, t, { kind: "do", test: { until, condition: p.exprs.parseExpression() } });
    }
    case "LOOP": {
      c.pos++;
      if (c.atStatementEnd()) return close(p, t, "loop");
      const until = loopTestKeyword(p, "LOOP");
      return close(p, t, "loop", null, { until, condition: p.exprs.parseExpression() });
    }
    case "WITH":
      c.pos++;
      return open(p, t, { kind: "with", target: c.expectName("after WITH").text });
    case "SUB":
    case "FUNCTION":
      return procedureLine(p, t);
    case "TABLE": {
      c.pos++;
      const name = c.expectName("after TABLE").text;
      let connection: string | null = null;
      if (c.acceptWord("ON")) {
        const conn = c.next();
        if (conn.kind === "identifier") connection = conn.text;
        else if (conn.kind === "string") connection = stringValue(conn);
        else abort("expected-token", `Expected a connection name after ON, found ${describeToken(conn)}`, spanOf(conn));
      }
      return open(p, t, { kind: "table", name, connection });
    }
    default:
      return null;
  }
}

function open(p: StatementParser, t: Token, block: OpenBlock): LineItem {
  p.cursor.expectStatementEnd();
  return { kind: "open", block, token: t };
}

function close(p: StatementParser, t: Token, closes: CloseKind, name: string | null = null, test: { until: boolean; condition: Expr } | null = null): LineItem {
  p.cursor.expectStatementEnd();
  return { kind: "close", closes, token: t, name, test };
}

function lineEndsWithThen(p: StatementParser): boolean {
  const { tokens } = p.cursor;
  let i = p.cursor.pos;
  while (i < tokens.length && !endsStatement(tokens[i]!)) i++;
  const last = tokens[i - 1];
  return last !== undefined && isWord(last, "THEN");
}

function loopTestKeyword(p: StatementParser, after: string): boolean {
  const t = p.cursor.next();
  if (isWord(t, "WHILE")) return false;
  if (isWord(t, "UNTIL")) return true;
  return abort("expected-token", `Expected WHILE or UNTIL after ${after}, found ${describeToken(t)}`, spanOf(t));
}

/** `IF c THEN` (a block) or `IF c THEN stmt [ELSE stmt]` (one line). */
function ifLine(p: StatementParser, t: Token, inlineOnly: boolean): LineItem {
  const c = p.cursor;
  c.pos++;
  const condition = p.exprs.parseExpression();
  c.expectWord("THEN", "after the IF condition");
  if (c.atStatementEnd()) {
    if (inlineOnly) abort("unexpected-token", "A block IF cannot be used inside a single-line IF", spanOf(t));
    c.expectStatementEnd();
    return { kind: "open", block: { kind: "if", condition }, token: t };
  }
  const thenBody = [p.nested(() => p.simpleStatement(true))];
  let elseBody: Stmt[] | null = null;
  if (c.acceptWord("ELSE")) elseBody = [p.nested(() => p.simpleStatement(true))];
  p.endStatement(inlineOnly);
  const span = spanBetween(t, c.previous());
  return { kind: "stmt", stmt: { kind: "if", branches: [{ condition, body: thenBody, span }], elseBody, singleLine: true, span } };
}

/** `CASE 1, 2`, `CASE "a"`, `CASE 1 TO 5`, `CASE IS > 3`. */
function caseLine(p: StatementParser, t: Token): LineItem {
  const c = p.cursor;
  const tests: CaseTest[] = [];
  const comparisons: Record<string, "eq" | "ne" | "lt" | "le" | "gt" | "ge"> = {
    "=": "eq", "==": "eq", "<>": "ne", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge",
  };
  do {
    const next = c.peek(1);
    if (isWord(c.peek(), "IS") && next.kind === "punct" && comparisons[next.text] !== undefined) {
      c.pos += 2;
      tests.push({ kind: "is", op: comparisons[next.text]!, value: p.exprs.parseExpression() });
      continue;
    }
    const value = bareWordAsString(p, p.exprs.parseExpression());
    if (c.acceptWord("TO")) tests.push({ kind: "range", from: value, to: p.exprs.parseExpression() });
    else tests.push({ kind: "value", value });
  } while (c.acceptPunct(","));
  c.expectStatementEnd();
  return { kind: "case", tests, token: t };
}

/**
 * `CASE yes` compares with the text "yes": the botserver's compiler quotes every unquoted CASE value
 * and scripts rely on it for words. Numbers stay numbers (the botserver's `CASE 1` → `"1"` is the bug).
 */
function bareWordAsString(p: StatementParser, value: Expr): Expr {
  if (value.kind !== "identifier") return value;
  p.context.sink.warning(
    "case-bare-word",
    `CASE ${value.name} compares with the text "${value.name}" (as the botserver does); write CASE "${value.name}" to say so`,
    value.span,
  );
  return { kind: "string", raw: JSON.stringify(value.name), value: value.name, span: value.span };
}

/** `SUB name[(a, b AS type)]` / `FUNCTION name[(…)] [AS type]`. */
function procedureLine(p: StatementParser, t: Token): LineItem {
  const c = p.cursor;
  c.pos++;
  const name = c.expectName(`after ${t.upper}`).text;
  const params: string[] = [];
  if (c.acceptPunct("(")) {
    if (!c.acceptPunct(")")) {
      do {
        while (isWord(c.peek(), "BYVAL") || isWord(c.peek(), "BYREF") || isWord(c.peek(), "OPTIONAL")) c.pos++;
        params.push(c.expectName("for a parameter").text);
        if (c.acceptWord("AS")) c.expectIdentifier("after AS");
      } while (c.acceptPunct(","));
      c.expectPunct(")", "after the parameters");
    }
  }
  if (t.upper === "FUNCTION" && c.acceptWord("AS")) c.expectIdentifier("after AS");
  c.expectStatementEnd();
  return { kind: "open", block: { kind: "sub", isFunction: t.upper === "FUNCTION", name, params }, token: t };
}

/**
 * After a syntax error on a line: what the line still means for the block structure, read from its first
 * words, so that `IF x = THEN` still opens an IF and its END IF still matches.
 */
export function recoverBlockLine(tokens: readonly Token[], start: number): LineItem {
  const t = tokens[start];
  const next = tokens[start + 1];
  if (t === undefined || t.kind !== "identifier" || next === undefined) return { kind: "none" };
  if (next.kind === "punct" && (next.text === "=" || next.text.endsWith("=")) && next.text !== "==") return { kind: "none" };
  const error: Expr = { kind: "error", span: spanOf(t) };
  const opens = (block: OpenBlock): LineItem => ({ kind: "open", block, token: t });
  const closes = (kind: CloseKind): LineItem => ({ kind: "close", closes: kind, token: t, name: null, test: null });
  let end = start;
  while (end < tokens.length && !endsStatement(tokens[end]!)) end++;
  switch (t.upper) {
    case "IF": {
      const then = tokens.slice(start, end).findIndex((x) => isWord(x, "THEN"));
      return then >= 0 && start + then + 1 < end ? { kind: "none" } : opens({ kind: "if", condition: error });
    }
    case "ELSEIF":
      return { kind: "else-if", condition: error, token: t };
    case "ELSE":
      return isWord(next, "IF") ? { kind: "else-if", condition: error, token: t } : { kind: "else", token: t, inline: null };
    case "SELECT":
      return opens({ kind: "select", subject: error });
    case "CASE":
      return isWord(next, "ELSE") ? { kind: "case-else", token: t } : { kind: "case", tests: [], token: t };
    case "FOR":
      return isWord(next, "EACH")
        ? opens({ kind: "for-each", variable: RECOVERED, iterable: error })
        : opens({ kind: "for-to", variable: RECOVERED, from: error, to: error, step: null });
    case "WHILE":
      return opens({ kind: "while", condition: error });
    case "DO":
      return opens({ kind: "do", test: null });
    case "WITH":
      return opens({ kind: "with", target: RECOVERED });
    case "SUB":
    case "FUNCTION":
      return opens({ kind: "sub", isFunction: t.upper === "FUNCTION", name: RECOVERED, params: [] });
    case "TABLE":
      return opens({ kind: "table", name: RECOVERED, connection: null });
    case "NEXT":
      return end - start <= 2 ? closes("next") : { kind: "none" };
    case "WEND":
      return closes("wend");
    case "LOOP":
      return closes("loop");
    case "ENDIF":
      return closes("end-if");
    case "END": {
      const kind = END_TARGETS[next.upper];
      return kind === undefined ? { kind: "none" } : closes(kind);
    }
    default:
      return { kind: "none" };
  }
}

