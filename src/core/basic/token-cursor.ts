/** A position in the token list, with the small helpers every parser file needs. */
import { abort, spanOf, type Span } from "./diagnostics.js";
import { RESERVED_WORDS } from "./expression-start.js";
import { describeToken, endsStatement, isPunct, isWord, type Punctuation, type Token } from "./tokens.js";

export class TokenCursor {
  pos = 0;
  private readonly eof: Token;

  /** `end` says where the token list ends when it has no `eof` token (a `${…}` fragment). */
  constructor(
    readonly tokens: readonly Token[],
    end?: { offset: number; line: number; column: number },
  ) {
    const last = tokens[tokens.length - 1];
    if (last?.kind === "eof") this.eof = last;
    else {
      const offset = end?.offset ?? last?.end ?? 0;
      const line = end?.line ?? last?.endLine ?? 1;
      const column = end?.column ?? last?.endColumn ?? 1;
      this.eof = { kind: "eof", text: "", upper: "", start: offset, end: offset, line, column, endLine: line, endColumn: column };
    }
  }

  peek(offset = 0): Token {
    return this.tokens[this.pos + offset] ?? this.eof;
  }

  next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length) this.pos++;
    return t;
  }

  /** The token just consumed (for spans that end there). */
  previous(): Token {
    return this.tokens[this.pos - 1] ?? this.eof;
  }

  atStatementEnd(): boolean {
    return endsStatement(this.peek());
  }

  acceptWord(upper: string): boolean {
    if (!isWord(this.peek(), upper)) return false;
    this.pos++;
    return true;
  }

  acceptPunct(text: Punctuation): boolean {
    if (!isPunct(this.peek(), text)) return false;
    this.pos++;
    return true;
  }

  expectWord(upper: string, context: string): Token {
    const t = this.peek();
    if (!isWord(t, upper)) abort("expected-token", `Expected ${upper} ${context}, found ${describeToken(t)}`, spanOf(t));
    this.pos++;
    return t;
  }

  expectPunct(text: Punctuation, context: string): Token {
    const t = this.peek();
    if (!isPunct(t, text)) abort("expected-token", `Expected '${text}' ${context}, found ${describeToken(t)}`, spanOf(t));
    this.pos++;
    return t;
  }

  expectIdentifier(context: string): Token {
    const t = this.peek();
    if (t.kind !== "identifier") abort("expected-token", `Expected a name ${context}, found ${describeToken(t)}`, spanOf(t));
    this.pos++;
    return t;
  }

  /** A name being declared (variable, parameter, procedure): reserved words such as IN or TO are not names. */
  expectName(context: string): Token {
    const t = this.peek();
    if (t.kind !== "identifier" || RESERVED_WORDS.has(t.upper)) abort("expected-token", `Expected a name ${context}, found ${describeToken(t)}`, spanOf(t));
    this.pos++;
    return t;
  }

  /** Ends the statement: anything but end of line / `;` / end of file here is an error. */
  expectStatementEnd(extraTerminator?: (t: Token) => boolean): void {
    const t = this.peek();
    if (endsStatement(t) || extraTerminator?.(t)) return;
    abort("unexpected-token", `Unexpected ${describeToken(t)} after the end of the statement`, spanOf(t));
  }

  /** Skips to the end of the current statement (the newline itself is not consumed). */
  skipStatement(): void {
    while (!endsStatement(this.peek())) this.pos++;
  }

  /** Consumes newlines and `;` between statements. */
  skipSeparators(): void {
    for (;;) {
      const t = this.peek();
      if (t.kind === "newline" || isPunct(t, ";")) this.pos++;
      else return;
    }
  }

  /** Newlines are insignificant right after `(`, `[`, `#{`, `,` and before the closing bracket. */
  skipNewlines(): void {
    while (this.peek().kind === "newline") this.pos++;
  }
}

/** The span from the start of `first` to the end of `last`. */
export function spanBetween(first: Token | Span, last: Token | Span): Span {
  return { line: first.line, column: first.column, endLine: last.endLine, endColumn: last.endColumn };
}
