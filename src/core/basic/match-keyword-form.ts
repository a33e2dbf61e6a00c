/**
 * Matches the tokens at the cursor against keyword forms (keyword-forms.ts). Forms are tried most
 * specific first; the first that matches wins (in statement position it must also reach the end of the
 * statement). When a form's keywords matched but its arguments did not, the failure that got furthest is
 * the one reported.
 */
import { abort, type BasicDiagnostic, diagnostic, ParseAbort, spanOf } from "./diagnostics.js";
import { canStartExpression } from "./expression-start.js";
import type { KeywordForm, PatternElement, TokenOption } from "./keyword-forms.js";
import type { Expr, FormArg } from "./syntax-tree.js";
import type { TokenCursor } from "./token-cursor.js";
import { describeToken, endsStatement, isPunct, type Token } from "./tokens.js";

export interface FormMatch {
  form: KeywordForm;
  args: FormArg[];
}

export interface ExpressionSource {
  /** Parses one argument at the cursor (memoised by the parser, so retrying forms stays linear). */
  parseFormArgument(): Expr;
}

/**
 * Statement position: returns the match, or null when no form's keywords match (not a known keyword);
 * throws ParseAbort when keywords matched but the rest did not. Expression position: returns null instead
 * of throwing when the keywords matched but nothing else did only if no argument was parsed.
 */
export function matchKeywordForm(
  cursor: TokenCursor,
  candidates: readonly KeywordForm[],
  expressions: ExpressionSource,
  mode: "statement" | "expression",
  isTerminator?: (t: Token) => boolean,
): FormMatch | null {
  const start = cursor.pos;
  // The failure that got furthest; its message is only built if it is reported.
  let bestPos = -1;
  let best: Failure | null = null;
  for (const form of candidates) {
    cursor.pos = start;
    const matcher = new Matcher(cursor, expressions, form.phraseLength);
    let failure: Failure;
    try {
      if (matcher.elements(form.elements) && matcher.part === 0) {
        const t = cursor.peek();
        if (mode === "expression" || endsStatement(t) || isTerminator?.(t)) return { form, args: matcher.args };
        failure = { form, expected: null, token: t, trailing: true };
      } else {
        failure = { form, expected: matcher.expected, token: cursor.peek(), trailing: false };
      }
    } catch (e) {
      if (!(e instanceof ParseAbort)) throw e;
      failure = e.diagnostic;
    }
    if (matcher.phraseMatched && cursor.pos > bestPos) {
      bestPos = cursor.pos;
      best = failure;
    }
  }
  cursor.pos = start;
  if (best === null) return null;
  if (mode === "expression" && bestPos <= start + 1) return null;
  throw new ParseAbort("severity" in best ? best : describeFailure(best));
}

type Failure = { form: KeywordForm; expected: string | null; token: Token; trailing: boolean } | BasicDiagnostic;

function describeFailure(f: Exclude<Failure, BasicDiagnostic>): BasicDiagnostic {
  const message = f.trailing
    ? `Unexpected ${describeToken(f.token)} after ${f.form.phrase}`
    : `Expected ${f.expected ?? "more"} in ${f.form.phrase}, found ${describeToken(f.token)}`;
  return diagnostic("error", f.trailing ? "unexpected-token" : "expected-token", message, spanOf(f.token));
}

/** The `_`-separated words of an identifier token with underscores (`ADD_SUGGESTION_TEXT` → ADD, SUGGESTION, TEXT). */
function partsOf(t: Token): readonly string[] {
  return t.upper.split("_").filter((p) => p.length > 0);
}

class Matcher {
  readonly args: FormArg[] = [];
  /** Index of the next unmatched word inside the current identifier token. */
  part = 0;
  phraseMatched = false;
  expected: string | null = null;
  private topLevelIndex = 0;

  constructor(
    private readonly cursor: TokenCursor,
    private readonly expressions: ExpressionSource,
    private readonly leadingKeywords: number,
  ) {
    if (leadingKeywords === 0) this.phraseMatched = true;
  }

  elements(elements: readonly PatternElement[], topLevel = true): boolean {
    for (const el of elements) {
      if (!this.element(el)) return false;
      if (topLevel && ++this.topLevelIndex === this.leadingKeywords) this.phraseMatched = true;
    }
    return true;
  }

  private element(el: PatternElement): boolean {
    const c = this.cursor;
    const t = c.peek();
    switch (el.kind) {
      case "token":
        for (const option of el.options) if (this.option(option)) return true;
        this.expected = el.options.map((o) => (o.parts === null ? `'${o.text}'` : o.text)).join(" or ");
        return false;
      case "expr":
        if (this.part !== 0 || !canStartExpression(t)) {
          this.expected = "an expression";
          return false;
        }
        this.args.push({ kind: "expr", expr: this.expressions.parseFormArgument() });
        return true;
      case "exprs":
        if (this.part !== 0) return false;
        if (!canStartExpression(t)) return true;
        this.args.push({ kind: "expr", expr: this.expressions.parseFormArgument() });
        while (isPunct(c.peek(), ",")) {
          c.pos++;
          this.args.push({ kind: "word", text: "," }, { kind: "expr", expr: this.expressions.parseFormArgument() });
        }
        return true;
      case "ident":
        if (this.part !== 0 || t.kind !== "identifier") {
          this.expected = "a name";
          return false;
        }
        c.pos++;
        this.args.push({ kind: "ident", name: t.text, span: spanOf(t) });
        return true;
      case "string":
        if (this.part !== 0 || t.kind !== "string") {
          this.expected = "a string literal";
          return false;
        }
        if (t.unterminated) abort("unterminated-string", "String is not terminated", spanOf(t));
        c.pos++;
        this.args.push({ kind: "literal", raw: t.text, span: spanOf(t) });
        return true;
      case "int":
        if (this.part !== 0 || t.kind !== "number" || !isWholeNumber(t.text)) {
          this.expected = "a whole number";
          return false;
        }
        c.pos++;
        this.args.push({ kind: "literal", raw: t.text, span: spanOf(t) });
        return true;
      case "optional": {
        const pos = c.pos;
        const part = this.part;
        const argCount = this.args.length;
        if (!this.elements(el.elements, false)) {
          c.pos = pos;
          this.part = part;
          this.args.length = argCount;
          this.expected = null;
        }
        return true;
      }
    }
  }

  private option(option: TokenOption): boolean {
    const c = this.cursor;
    if (option.parts === null) {
      if (this.part !== 0 || !isPunct(c.peek(), option.text as ",")) return false;
      c.pos++;
      this.args.push({ kind: "word", text: option.text });
      return true;
    }
    let pos = c.pos;
    let part = this.part;
    for (const word of option.parts) {
      const t = c.tokens[pos];
      if (t === undefined || t.kind !== "identifier") return false;
      if (part === 0 && t.upper === word) {
        pos++; // the common case: one word, one token
        continue;
      }
      if (t.upper.indexOf("_") < 0) return false;
      const parts = partsOf(t);
      if (parts[part] !== word) return false;
      if (++part >= parts.length) {
        pos++;
        part = 0;
      }
    }
    c.pos = pos;
    this.part = part;
    this.args.push({ kind: "word", text: option.text });
    return true;
  }
}

function isWholeNumber(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch < 48 || ch > 57) return false;
  }
  return text.length > 0;
}
