/**
 * Expressions: BASIC operators and precedence (highest first)
 *   `^` · unary `-` `+` `!` · `*` `/` `%` · `MOD` · `+` `-` · `&` · comparisons
 *   (`=` `<>` `<` `<=` `>` `>=`, also Rhai's `==` `!=`, `IN`, `NOT IN`, `IS [NOT] NULL|EMPTY`) · `NOT` ·
 *   `AND` `&&` · `OR` `XOR` `||`
 * plus what scripts written for the Rhai runtime use: calls, `.member`, `[index]`, `[…]` arrays,
 * `#{…}` and `{…}` maps, back-tick strings with `${…}`, `NULL`, and keyword forms used as values
 * (`x = FIND "t", "f"`).
 *
 * In an expression a keyword form is recognised only when written in upper case (as Rhai, which matches
 * custom syntax case-sensitively, would), so variables named `first` or `list` stay variables.
 */
import { abort, ParseAbort, spanOf, type DiagnosticSink, type Span } from "./diagnostics.js";
import { MAX_EXPRESSION_DEPTH } from "./expression-depth.js";
import { RESERVED_WORDS } from "./expression-start.js";
import { formsStartingWith } from "./keyword-forms.js";
import { matchKeywordForm } from "./match-keyword-form.js";
import { noRuntimeFormMessage, upperCaseWords } from "./no-runtime-form.js";
import { parseInterpolatedExpression, positionAt, splitInterpolations } from "./parse-interpolation.js";
import { rhaiStringLiteral, stringValue } from "./string-literals.js";
import type { BinaryOperator, Expr, MapEntry, TemplatePart } from "./syntax-tree.js";
import { spanBetween, TokenCursor } from "./token-cursor.js";
import { describeToken, isPunct, type Token } from "./tokens.js";

/** Shared by all parsers of one compilation. */
export interface ParseContext {
  source: string;
  sink: DiagnosticSink;
  /** SUB/FUNCTION names declared in the script, by upper-case name → spelling at the declaration. */
  procedures: Map<string, string>;
}

const COMPARISON: Record<string, BinaryOperator> = {
  "=": "eq", "==": "eq", "<>": "ne", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge",
};

export class ExpressionParser {
  private depth = 0;
  /**
   * Keyword-form arguments already parsed, by token position and nesting depth. Several forms share a
   * first word (`LLM $expr` / `LLM $expr WITH OPTIMIZE …`), so the matcher may parse the same argument
   * once per candidate; with forms nested in forms (`LLM LLM LLM …`) that would be exponential. With the
   * memo every argument is parsed once per statement.
   */
  private readonly memo = new Map<number, { expr: Expr; end: number } | { abort: ParseAbort; end: number }>();

  constructor(
    readonly cursor: TokenCursor,
    readonly context: ParseContext,
  ) {}

  /** Forgets the memo (its positions are only reused within one statement). */
  startStatement(): void {
    if (this.memo.size > 0) this.memo.clear();
  }

  /** A keyword-form argument: an expression, memoised (see `memo`). */
  parseFormArgument(): Expr {
    const c = this.cursor;
    const key = c.pos * 128 + Math.min(this.depth, 127);
    const known = this.memo.get(key);
    if (known !== undefined) {
      c.pos = known.end;
      if ("abort" in known) throw known.abort;
      return known.expr;
    }
    try {
      const expr = this.parseExpression();
      this.memo.set(key, { expr, end: c.pos });
      return expr;
    } catch (e) {
      if (e instanceof ParseAbort) this.memo.set(key, { abort: e, end: c.pos });
      throw e;
    }
  }

  parseExpression(): Expr {
    this.enter();
    try {
      return this.parseOr();
    } finally {
      this.depth--;
    }
  }

  /**
   * An assignment target or a call statement: a name (never a keyword form) followed by `.member`,
   * `[index]` and `(args)`.
   */
  parseReference(): Expr {
    const t = this.cursor.expectIdentifier("here");
    const name = this.context.procedures.get(t.upper) ?? t.text;
    return this.parsePostfix({ kind: "identifier", name, span: spanOf(t) });
  }

  private enter(): void {
    if (++this.depth > MAX_EXPRESSION_DEPTH) {
      this.depth--;
      abort("nesting-too-deep", `Expression nested more than ${MAX_EXPRESSION_DEPTH} levels deep`, spanOf(this.cursor.peek()));
    }
  }

  private binary(op: BinaryOperator, left: Expr, right: Expr): Expr {
    return { kind: "binary", op, left, right, span: spanBetween(left.span, right.span) };
  }

  private parseOr(): Expr {
    const c = this.cursor;
    let left = this.parseAnd();
    for (;;) {
      const t = c.peek();
      let op: BinaryOperator | null = null;
      if (t.upper === "OR" || isPunct(t, "||")) op = "or";
      else if (t.upper === "XOR") op = "xor";
      if (op === null) return left;
      c.pos++;
      left = this.binary(op, left, this.parseAnd());
    }
  }

  private parseAnd(): Expr {
    const c = this.cursor;
    let left = this.parseNot();
    while (c.peek().upper === "AND" || isPunct(c.peek(), "&&")) {
      c.pos++;
      left = this.binary("and", left, this.parseNot());
    }
    return left;
  }

  private parseNot(): Expr {
    const t = this.cursor.peek();
    if (t.upper !== "NOT") return this.parseComparison();
    this.cursor.pos++;
    this.enter();
    try {
      const operand = this.parseNot();
      return { kind: "unary", op: "not", operand, span: spanBetween(t, operand.span) };
    } finally {
      this.depth--;
    }
  }

  private parseComparison(): Expr {
    const c = this.cursor;
    let left = this.parseConcat();
    for (;;) {
      const t = c.peek();
      let op: BinaryOperator | undefined = t.kind === "punct" ? COMPARISON[t.text] : undefined;
      if (op !== undefined) c.pos++;
      else if (t.upper === "IN") {
        op = "in";
        c.pos++;
      } else if (t.upper === "NOT" && c.peek(1).upper === "IN") {
        op = "not-in";
        c.pos += 2;
      } else if (t.upper === "IS") {
        const test = this.isTest(left);
        if (test === null) return left;
        left = test;
        continue;
      } else return left;
      left = this.binary(op, left, this.parseConcat());
    }
  }

  /**
   * `x IS NULL`, `x IS NOT NULL`, `x IS EMPTY`, `x IS NOT EMPTY` → the runtime's ISNULL / ISEMPTY, so the
   * test means what it means in the botserver. Null when IS is not followed by one of these.
   */
  private isTest(subject: Expr): Expr | null {
    const c = this.cursor;
    const start = c.pos;
    c.pos++;
    const not = c.peek().upper === "NOT" ? c.next() : null;
    const what = c.peek().upper;
    const fn = what === "NULL" || what === "NOTHING" ? "ISNULL" : what === "EMPTY" ? "ISEMPTY" : null;
    if (fn === null) {
      c.pos = start;
      return null;
    }
    const end = c.next();
    const span = spanBetween(subject.span, end);
    const call: Expr = { kind: "call", callee: { kind: "identifier", name: fn, span: spanOf(c.tokens[start]!) }, args: [subject], span };
    return not === null ? call : { kind: "unary", op: "not", operand: call, span };
  }

  private parseConcat(): Expr {
    const c = this.cursor;
    let left = this.parseAdditive();
    while (isPunct(c.peek(), "&")) {
      c.pos++;
      left = this.binary("concat", left, this.parseAdditive());
    }
    return left;
  }

  private parseAdditive(): Expr {
    const c = this.cursor;
    let left = this.parseMod();
    for (;;) {
      const t = c.peek();
      if (isPunct(t, "+")) {
        c.pos++;
        left = this.binary("add", left, this.parseMod());
      } else if (isPunct(t, "-")) {
        c.pos++;
        left = this.binary("sub", left, this.parseMod());
      } else return left;
    }
  }

  private parseMod(): Expr {
    const c = this.cursor;
    let left = this.parseMultiplicative();
    while (c.peek().upper === "MOD") {
      c.pos++;
      left = this.binary("mod", left, this.parseMultiplicative());
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    const c = this.cursor;
    let left = this.parseUnary();
    for (;;) {
      const t = c.peek();
      const op: BinaryOperator | null = isPunct(t, "*") ? "mul" : isPunct(t, "/") ? "div" : isPunct(t, "%") ? "mod" : null;
      if (op === null) return left;
      c.pos++;
      left = this.binary(op, left, this.parseUnary());
    }
  }

  private parseUnary(): Expr {
    const t = this.cursor.peek();
    const op = isPunct(t, "-") ? "neg" : isPunct(t, "+") ? "plus" : isPunct(t, "!") ? "not" : null;
    if (op === null) return this.parsePower();
    this.cursor.pos++;
    this.enter();
    try {
      const operand = this.parseUnary();
      return { kind: "unary", op, operand, span: spanBetween(t, operand.span) };
    } finally {
      this.depth--;
    }
  }

  private parsePower(): Expr {
    const c = this.cursor;
    let left = this.parsePostfix(this.parsePrimary());
    while (isPunct(c.peek(), "^") || isPunct(c.peek(), "**")) {
      c.pos++;
      const t = c.peek();
      const sign = isPunct(t, "-") ? "neg" : isPunct(t, "+") ? "plus" : null;
      if (sign !== null) c.pos++;
      let right = this.parsePostfix(this.parsePrimary());
      if (sign !== null) right = { kind: "unary", op: sign, operand: right, span: spanBetween(t, right.span) };
      left = this.binary("pow", left, right);
    }
    return left;
  }

  private parsePostfix(start: Expr): Expr {
    const c = this.cursor;
    let expr = start;
    for (;;) {
      const t = c.peek();
      if (isPunct(t, "(") && (expr.kind === "identifier" || expr.kind === "member")) {
        c.pos++;
        const args = this.parseList(")", "in the argument list");
        expr = { kind: "call", callee: expr, args, span: spanBetween(expr.span, c.previous()) };
      } else if (isPunct(t, ".") && c.peek(1).kind === "identifier") {
        c.pos++;
        const name = c.next();
        expr = { kind: "member", object: expr, name: name.text, span: spanBetween(expr.span, name) };
      } else if (isPunct(t, "[") && t.start === c.previous().end) {
        c.pos++;
        this.enter();
        try {
          c.skipNewlines();
          const index = this.parseExpression();
          this.expectAfterNewlines("]", "after the index");
          expr = { kind: "index", object: expr, index, span: spanBetween(expr.span, c.previous()) };
        } finally {
          this.depth--;
        }
      } else return expr;
    }
  }

  /** Comma-separated expressions up to `close` (already past the opening bracket); newlines allowed. */
  private parseList(close: ")" | "]", context: string): Expr[] {
    const c = this.cursor;
    this.enter();
    try {
      const items: Expr[] = [];
      c.skipNewlines();
      if (c.acceptPunct(close)) return items;
      for (;;) {
        items.push(this.parseExpression());
        if (this.expectAfterNewlines(close, context, ",") === close) return items;
        c.skipNewlines();
        if (close === "]" && c.acceptPunct(close)) return items; // trailing comma
      }
    } finally {
      this.depth--;
    }
  }

  private parsePrimary(): Expr {
    const c = this.cursor;
    const t = c.peek();
    switch (t.kind) {
      case "number":
        c.pos++;
        return { kind: "number", raw: rhaiNumber(t.text), span: spanOf(t) };
      case "string":
        c.pos++;
        return { kind: "string", raw: rhaiStringLiteral(t), value: stringValue(t), span: spanOf(t) };
      case "template":
        c.pos++;
        return this.template(t);
      case "identifier":
        return this.identifier(t);
      case "punct":
        if (t.text === "(") {
          c.pos++;
          this.enter();
          try {
            c.skipNewlines();
            const inner = this.parseExpression();
            this.expectAfterNewlines(")", "to close '('");
            return { kind: "paren", inner, span: spanBetween(t, c.previous()) };
          } finally {
            this.depth--;
          }
        }
        if (t.text === "[") {
          c.pos++;
          const items = this.parseList("]", "in the array");
          return { kind: "array", items, span: spanBetween(t, c.previous()) };
        }
        if (t.text === "#{" || t.text === "{") {
          c.pos++;
          return this.map(t);
        }
        break;
      default:
        break;
    }
    return abort("expected-expression", `Expected an expression, found ${describeToken(t)}`, spanOf(t));
  }

  private identifier(t: Token): Expr {
    const c = this.cursor;
    if (RESERVED_WORDS.has(t.upper)) abort("expected-expression", `Expected an expression, found ${describeToken(t)}`, spanOf(t));
    if (t.upper === "TRUE" || t.upper === "FALSE") {
      c.pos++;
      return { kind: "bool", value: t.upper === "TRUE", span: spanOf(t) };
    }
    if (t.upper === "NULL" || t.upper === "NOTHING") {
      c.pos++;
      return { kind: "unit", span: spanOf(t) };
    }
    const next = c.peek(1);
    const calledImmediately = isPunct(next, "(") && next.start === t.end;
    if (t.text === t.upper && !calledImmediately) {
      const underscore = t.upper.indexOf("_");
      const forms = formsStartingWith(underscore > 0 ? t.upper.slice(0, underscore) : t.upper);
      if (forms.length > 0) {
        const match = matchKeywordForm(c, forms, this, "expression");
        if (match !== null) return { kind: "keyword", form: match.form, lowered: match.lowered, span: spanBetween(t, c.previous()) };
      }
      // `x = SUMMARIZE "text"`: an upper-case word followed by a value is a keyword the runtime lacks,
      // not a variable (a variable is never followed by a value).
      if ((next.kind === "string" || next.kind === "number" || next.kind === "template") && next.line === t.line && /^[A-Z]/.test(t.text)) {
        const words = upperCaseWords(c.tokens, c.pos);
        abort("no-runtime-form", noRuntimeFormMessage(words.map((w) => w.upper), null), spanBetween(t, words[words.length - 1]!));
      }
    }
    c.pos++;
    return { kind: "identifier", name: this.context.procedures.get(t.upper) ?? t.text, span: spanOf(t) };
  }

  private map(open: Token): Expr {
    const c = this.cursor;
    this.enter();
    try {
      const entries: MapEntry[] = [];
      c.skipNewlines();
      while (!c.acceptPunct("}")) {
        const key = c.next();
        if (key.kind !== "identifier" && key.kind !== "string") {
          abort("expected-token", `Expected a map key, found ${describeToken(key)}`, spanOf(key));
        }
        c.expectPunct(":", "after the map key");
        c.skipNewlines();
        entries.push({ key: key.kind === "string" ? rhaiStringLiteral(key) : key.text, value: this.parseExpression() });
        if (this.expectAfterNewlines("}", "between map entries", ",") === "}") break;
        c.skipNewlines();
      }
      return { kind: "map", entries, span: spanBetween(open, c.previous()) };
    } finally {
      this.depth--;
    }
  }

  private template(t: Token): Expr {
    const { source } = this.context;
    const span: Span = spanOf(t);
    if (t.unterminated) abort("unterminated-string", "Back-tick string is not terminated", span);
    const { segments, unterminatedAt } = splitInterpolations(source, t.start + 1, t.end - 1);
    if (unterminatedAt !== null) {
      const at = positionAt(source, { offset: t.start, line: t.line, column: t.column }, unterminatedAt);
      abort("unterminated-interpolation", "'${' is not closed by '}'", { ...at, endLine: at.line, endColumn: at.column + 2 });
    }
    const parts: TemplatePart[] = [];
    for (const seg of segments) {
      if (seg.kind === "text") {
        parts.push({ kind: "text", raw: source.slice(seg.start, seg.end) });
        continue;
      }
      const at = positionAt(source, { offset: t.start, line: t.line, column: t.column }, seg.start);
      this.enter();
      try {
        const expr = parseInterpolatedExpression(source, seg, at, (cursor) => new ExpressionParser(cursor, this.context).parseExpressionAt(this.depth));
        parts.push({ kind: "expr", expr });
      } finally {
        this.depth--;
      }
    }
    return { kind: "template", parts, span };
  }

  /**
   * Inside brackets line breaks are blanks — but when the closing bracket (or `alternative`, e.g. the
   * `,` between items) is missing, the error points at the end of the line where it was due, and the next
   * line is left alone so it is parsed as the statement it is.
   */
  private expectAfterNewlines(close: ")" | "]" | "}", context: string, alternative?: ","): string {
    const c = this.cursor;
    const before = c.pos;
    c.skipNewlines();
    if (c.acceptPunct(close)) return close;
    if (alternative !== undefined && c.acceptPunct(alternative)) return alternative;
    if (c.pos > before) c.pos = before;
    const t = c.peek();
    const expected = alternative === undefined ? `'${close}'` : `'${alternative}' or '${close}'`;
    return abort("expected-token", `Expected ${expected} ${context}, found ${describeToken(t)}`, spanOf(t));
  }

  /** Parses an expression with the nesting already used by an enclosing parser (for `${…}` parts). */
  parseExpressionAt(depth: number): Expr {
    this.depth = depth;
    return this.parseExpression();
  }
}

/** Rhai number syntax: `.5` → `0.5`. */
function rhaiNumber(raw: string): string {
  return raw.charCodeAt(0) === 46 ? `0${raw}` : raw;
}
