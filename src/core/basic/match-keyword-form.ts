/**
 * Matches the tokens at the cursor against keyword forms (keyword-forms.ts) and lowers the match into
 * what the `.ast` will hold. Forms are tried most specific first; in statement position the first that
 * matches up to the end of the statement wins, in expression position the longest match. When a form's
 * keywords matched but its arguments did not, the failure that got furthest is the one reported. A form
 * the runtime has no equivalent for (`none`) is one error on the statement, naming what the runtime offers.
 */
import { abort, type BasicDiagnostic, diagnostic, ParseAbort, spanOf, type Span } from "./diagnostics.js";
import { checkTemplate, parseTemplate, type ArgKind } from "./emission-template.js";
import { canStartExpression } from "./expression-start.js";
import type { KeywordForm, PatternElement, TokenOption } from "./keyword-forms.js";
import { noRuntimeFormMessage, upperCaseWords } from "./no-runtime-form.js";
import { RUNTIME } from "./runtime-profile.js";
import { rhaiStringLiteral, stringValue } from "./string-literals.js";
import type { Expr, Lowered, MapEntry } from "./syntax-tree.js";
import { spanBetween, type TokenCursor } from "./token-cursor.js";
import { describeToken, endsStatement, isPunct, type Token } from "./tokens.js";

export interface FormMatch {
  form: KeywordForm;
  lowered: Lowered;
}

export interface ExpressionSource {
  /** Parses one argument at the cursor (memoised by the parser, so retrying forms stays linear). */
  parseFormArgument(): Expr;
}

/**
 * Statement position: returns the match, or null when no form's keywords match (not a known keyword);
 * throws ParseAbort when keywords matched but the rest did not, or when the runtime has no form for it.
 * Expression position: returns null instead of throwing when nothing beyond the first keyword matched.
 */
export function matchKeywordForm(
  cursor: TokenCursor,
  candidates: readonly KeywordForm[],
  expressions: ExpressionSource,
  mode: "statement" | "expression",
  isTerminator?: (t: Token) => boolean,
): FormMatch | null {
  const start = cursor.pos;
  const first = cursor.peek();
  // The failure that got furthest; its message is only built if it is reported.
  let bestPos = -1;
  let best: Failure | null = null;
  let found: { form: KeywordForm; values: Expr[]; end: number; none: boolean } | null = null;
  for (const form of candidates) {
    if (mode === "expression" && form.statementOnly) continue;
    cursor.pos = start;
    const matcher = new Matcher(cursor, expressions, form.phraseLength, isTerminator);
    let failure: Failure;
    try {
      if (matcher.elements(form.elements) && matcher.part === 0) {
        const t = cursor.peek();
        if (mode === "expression") {
          // The longest match, but a form the runtime has no equivalent for (`GET $rest`) only when
          // nothing else matched: its `$rest` always reaches furthest.
          const none = form.lowering.kind === "none";
          const better = found === null || (found.none && !none) || (found.none === none && cursor.pos > found.end);
          if (better) found = { form, values: matcher.values, end: cursor.pos, none };
          continue;
        }
        if (endsStatement(t) || isTerminator?.(t)) {
          found = { form, values: matcher.values, end: cursor.pos, none: false };
          break;
        }
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
  // A longer form that failed part-way says more than a shorter one that matched (`FIND t WHERE <error>`).
  if (found !== null && mode === "expression" && best !== null && bestPos > found.end) found = null;
  if (found !== null) {
    cursor.pos = found.end;
    return { form: found.form, lowered: lower(found.form, found.values, spanBetween(first, cursor.previous()), cursor.tokens, start) };
  }
  cursor.pos = start;
  if (best === null) return null;
  if (mode === "expression" && bestPos <= start + 1) return null;
  throw new ParseAbort("severity" in best ? best : describeFailure(best));
}

/** The lowering of a matched form: its template and argument values, or the error saying why there is none. */
function lower(form: KeywordForm, values: Expr[], span: Span, tokens: readonly Token[], start: number): Lowered {
  const first = tokens[start]!;
  const l = form.lowering;
  switch (l.kind) {
    case "template":
      return { template: l.template, values };
    case "none": {
      // Name the construct as written: `GET USER MEMORY` rather than the table's catch-all `GET`.
      const written = upperCaseWords(tokens, start).map((t) => t.upper);
      const phrase = form.phrase.split(" ");
      const words = written.length > phrase.length && written.slice(0, phrase.length).join(" ") === phrase.join(" ") ? written : phrase;
      return abort("no-runtime-form", noRuntimeFormMessage(words, phrase.length === 1 && words.length > 1 ? null : l.hint), spanBetween(first, phraseEnd(first, span)));
    }
    case "render": {
      const prepared = l.render(values, span);
      if ("error" in prepared) return abort("no-runtime-form", prepared.error, prepared.span);
      const template = parseTemplate(prepared.template);
      const problems = checkTemplate(template, prepared.values.map(kindOf), RUNTIME);
      if (problems.length > 0) return abort("no-runtime-form", `${form.phrase}: ${problems.join("; ")}`, span);
      return { template, values: prepared.values };
    }
  }
}

function phraseEnd(first: Token, span: Span): Span {
  return span.line === first.line ? span : first;
}

function kindOf(e: Expr): ArgKind {
  if (e.kind === "identifier") return "ident";
  if (e.kind === "string") return "string";
  if (e.kind === "number" && /^[0-9]+$/.test(e.raw)) return "int";
  return "expr";
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
  readonly values: Expr[] = [];
  /** Index of the next unmatched word inside the current identifier token. */
  part = 0;
  phraseMatched = false;
  expected: string | null = null;
  private topLevelIndex = 0;

  constructor(
    private readonly cursor: TokenCursor,
    private readonly expressions: ExpressionSource,
    private readonly leadingKeywords: number,
    private readonly isTerminator?: (t: Token) => boolean,
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

  private expression(): boolean {
    if (this.part !== 0 || !canStartExpression(this.cursor.peek())) {
      this.expected = "an expression";
      return false;
    }
    this.values.push(this.expressions.parseFormArgument());
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
        return this.expression();
      case "exprs":
        if (!this.expression()) return false;
        while (isPunct(c.peek(), ",")) {
          c.pos++;
          if (!this.expression()) return false;
        }
        return true;
      case "ident":
        if (this.part !== 0 || t.kind !== "identifier") {
          this.expected = "a name";
          return false;
        }
        c.pos++;
        this.values.push({ kind: "identifier", name: t.text, span: spanOf(t) });
        return true;
      case "string":
        if (this.part !== 0 || t.kind !== "string") {
          this.expected = "a string literal";
          return false;
        }
        if (t.unterminated) abort("unterminated-string", "String is not terminated", spanOf(t));
        c.pos++;
        this.values.push({ kind: "string", raw: rhaiStringLiteral(t), value: stringValue(t), span: spanOf(t) });
        return true;
      case "int":
        if (this.part !== 0 || t.kind !== "number" || !/^[0-9]+$/.test(t.text)) {
          this.expected = "a whole number";
          return false;
        }
        c.pos++;
        this.values.push({ kind: "number", raw: t.text, span: spanOf(t) });
        return true;
      case "assignments":
        return this.assignments();
      case "rest":
        if (this.part !== 0) return false;
        while (!endsStatement(c.peek()) && !this.isTerminator?.(c.peek())) c.pos++;
        return true;
      case "optional": {
        const pos = c.pos;
        const part = this.part;
        const count = this.values.length;
        if (!this.elements(el.elements, false)) {
          c.pos = pos;
          this.part = part;
          this.values.length = count;
          this.expected = null;
        }
        return true;
      }
    }
  }

  /** `name = value, name = value` → one map value. */
  private assignments(): boolean {
    const c = this.cursor;
    if (this.part !== 0) return false;
    const start = c.peek();
    const entries: MapEntry[] = [];
    do {
      const key = c.peek();
      if (key.kind !== "identifier" || !isPunct(c.peek(1), "=")) {
        this.expected = "name = value";
        return false;
      }
      c.pos += 2;
      if (!this.expression()) return false;
      entries.push({ key: key.text, value: this.values.pop()! });
    } while (c.acceptPunct(","));
    this.values.push({ kind: "map", entries, span: spanBetween(start, c.previous()) });
    return true;
  }

  private option(option: TokenOption): boolean {
    const c = this.cursor;
    if (option.parts === null) {
      if (this.part !== 0 || !isPunct(c.peek(), option.text as ",")) return false;
      c.pos++;
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
    return true;
  }
}
