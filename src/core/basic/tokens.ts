/**
 * Tokens of the General Bots BASIC dialect.
 *
 * The lexer is line-aware (BASIC is): besides ordinary tokens it produces `raw` tokens for text that is
 * not BASIC syntax — the rest of a `PARAM`/`DESCRIPTION` line (tool definitions split those into words) and
 * each body line of `BEGIN TALK` / `BEGIN MAIL` / `BEGIN SYSTEM PROMPT` blocks — and `newline` tokens that
 * end statements.
 */
export type TokenKind =
  | "identifier"
  | "number"
  | "string" //   "…"   (Rhai escapes; BASIC "" accepted as an escaped quote), or '…' where a value is due
  | "template" // `…${expr}…` (Rhai interpolated string)
  | "punct"
  | "raw"
  | "newline"
  | "eof";

export interface Token {
  kind: TokenKind;
  /** The exact source text (for `string`/`template` including the delimiters; for `raw` the line text). */
  text: string;
  /** For identifiers: the text in upper case (keywords are matched on it); otherwise "". */
  upper: string;
  /** UTF-16 offsets into the source: [start, end). */
  start: number;
  end: number;
  /** 1-based position of the first character. */
  line: number;
  column: number;
  /** 1-based position just after the last character. */
  endLine: number;
  endColumn: number;
  /** A string/template literal without its closing delimiter (already reported by the lexer). */
  unterminated?: boolean;
}

/** Operators and punctuation, longest first where one is a prefix of another. */
export const PUNCTUATION = [
  "#{", "<>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=", "**",
  "+", "-", "*", "/", "^", "&", "%", "=", "<", ">", "(", ")", "[", "]", "{", "}", ",", ".", ":", ";", "!",
] as const;

export type Punctuation = (typeof PUNCTUATION)[number];

export function isPunct(token: Token, text: Punctuation): boolean {
  return token.kind === "punct" && token.text === text;
}

/** An identifier whose upper-case spelling is `upper` (keywords are case-insensitive in statement position). */
export function isWord(token: Token, upper: string): boolean {
  return token.kind === "identifier" && token.upper === upper;
}

/** A token that ends a statement: end of line, `;` or end of file. */
export function endsStatement(token: Token): boolean {
  return token.kind === "newline" || token.kind === "eof" || (token.kind === "punct" && token.text === ";");
}

export function describeToken(token: Token): string {
  switch (token.kind) {
    case "newline":
      return "end of line";
    case "eof":
      return "end of file";
    case "raw":
      return "text";
    case "string":
    case "template":
      return "string";
    default:
      return `'${token.text.length > 24 ? `${token.text.slice(0, 24)}…` : token.text}'`;
  }
}
