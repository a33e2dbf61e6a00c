/**
 * The lexer: one pass over the source, no regular expressions, no per-line rewriting.
 *
 * Line-oriented rules (the dialect is line-based, like the botserver's preprocessor):
 *   - a line whose first non-blank text is `'`, `//`, `#` (not `#{`) or the word `REM` is a comment.
 *     `REM` must be a whole word, so `REMEMBER …` and `REMOVE BOT …` are statements (the botserver's
 *     preprocessor drops them). `'` and `//` also start a comment after code on a line — except a `'`
 *     where a value is due and a closing `'` follows: a single-quoted string (`IF x = '' THEN`).
 *   - `PARAM …` and `DESCRIPTION …` at the start of a statement: the keyword, then the rest of the line
 *     as one `raw` token (tool definitions are read by words and quotes, not as BASIC expressions).
 *   - after a `BEGIN TALK` / `BEGIN MAIL …` / `BEGIN SYSTEM PROMPT` line, every line up to the matching
 *     `END …` line is a `raw` token (comment lines are skipped, as the botserver's preprocessor does).
 *   - a statement continues on the next line after ` _` (BASIC line continuation) or after a trailing
 *     comma (the botserver's preprocessor treats a trailing comma as "the statement goes on").
 */
import { DiagnosticSink } from "./diagnostics.js";
import type { Token, TokenKind } from "./tokens.js";

export interface LexResult {
  tokens: Token[];
  /** Number of lines in the source (a final line break does not open a new counted line for the EOF). */
  lineCount: number;
}

type RawBlock = "TALK" | "MAIL" | "SYSTEM PROMPT";

const CH_TAB = 9, CH_LF = 10, CH_CR = 13, CH_SPACE = 32, CH_DQUOTE = 34, CH_HASH = 35;
const CH_QUOTE = 39, CH_DOT = 46, CH_SLASH = 47, CH_0 = 48, CH_9 = 57, CH_EQ = 61, CH_BACKSLASH = 92;
const CH_UNDERSCORE = 95, CH_BACKTICK = 96, CH_LBRACE = 123, CH_RBRACE = 125;

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === CH_UNDERSCORE;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= CH_0 && c <= CH_9);
}
function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}
function isHexDigit(c: number): boolean {
  return isDigit(c) || ((c | 32) >= 97 && (c | 32) <= 102);
}
function isOctalDigit(c: number): boolean {
  return c >= CH_0 && c <= 55;
}
function isBinaryDigit(c: number): boolean {
  return c === CH_0 || c === 49;
}
function isBlank(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB;
}

/** Two-character operators, keyed by their first character. */
const TWO_CHAR: Record<string, readonly string[]> = {
  "#": ["#{"],
  "<": ["<>", "<="],
  ">": [">="],
  "=": ["=="],
  "!": ["!="],
  "&": ["&&"],
  "|": ["||"],
  "+": ["+="],
  "-": ["-="],
  "*": ["*=", "**"],
  "/": ["/="],
};
const ONE_CHAR = new Set("+-*/^&%=<>()[]{},.:;!");

/** Punctuation after which a value is due, so a `'` there can open a single-quoted string. */
const VALUE_AFTER_PUNCT = new Set([
  "=", "==", "<>", "!=", "<", ">", "<=", ">=", "(", "[", "{", "#{", ",", ":", "+", "-", "*", "/", "^", "**", "%", "&", "&&", "||", "!",
  "+=", "-=", "*=", "/=",
]);

/** Lexes a whole script. */
export function lex(source: string, sink: DiagnosticSink): LexResult {
  const start = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const lexer = new Lexer(source, start, source.length, 1, start, sink, false);
  lexer.run();
  return { tokens: lexer.tokens, lineCount: lexer.line };
}

/**
 * Lexes a fragment of the source in place (the expression inside `${…}`), with positions that point into
 * the original text. No statement structure: line breaks are blanks and no `newline` tokens are produced.
 */
export function lexFragment(source: string, start: number, end: number, line: number, column: number, sink: DiagnosticSink): Token[] {
  const lexer = new Lexer(source, start, end, line, start - (column - 1), sink, true);
  lexer.run();
  return lexer.tokens;
}

class Lexer {
  readonly tokens: Token[] = [];
  private pos: number;
  private atStatementStart = true;
  private statementFirstToken = 0;
  private rawBlock: RawBlock | null = null;
  private badStart = -1;

  constructor(
    private readonly src: string,
    start: number,
    private readonly end: number,
    public line: number,
    private lineStart: number,
    private readonly sink: DiagnosticSink,
    private readonly fragment: boolean,
  ) {
    this.pos = start;
  }

  run(): void {
    const { src, end } = this;
    let lineBegins = true;
    while (this.pos < end) {
      if (lineBegins && !this.fragment) {
        lineBegins = false;
        if (this.rawBlock !== null && this.rawLine()) {
          lineBegins = true;
          continue;
        }
        if (this.atStatementStart && this.statementPrefix()) {
          lineBegins = true;
          continue;
        }
      }
      const c = src.charCodeAt(this.pos);
      if (isBlank(c)) {
        this.flushBad();
        this.pos++;
      } else if (c === CH_LF || c === CH_CR) {
        this.flushBad();
        if (this.fragment) this.consumeLineBreak();
        else {
          this.endOfLine();
          lineBegins = true;
        }
      } else if (c === CH_QUOTE && this.singleQuotedString()) {
        this.flushBad();
      } else if (c === CH_QUOTE || (c === CH_SLASH && src.charCodeAt(this.pos + 1) === CH_SLASH)) {
        this.flushBad();
        this.skipToLineEnd();
      } else if (c === CH_DQUOTE) {
        this.flushBad();
        this.string();
      } else if (c === CH_BACKTICK) {
        this.flushBad();
        this.template();
      } else if (isDigit(c) || (c === CH_DOT && isDigit(src.charCodeAt(this.pos + 1)))) {
        this.flushBad();
        this.number();
      } else if (isIdentStart(c)) {
        this.flushBad();
        if (!this.lineContinuation()) this.identifier();
      } else if (!this.punct(c)) {
        if (this.badStart < 0) this.badStart = this.pos;
        this.pos++;
      }
    }
    this.flushBad();
    if (!this.fragment) this.push("eof", this.pos, this.pos);
  }

  // ── line structure ────────────────────────────────────────────────────────────────────────────────

  /** At a statement's first line: comment lines and PARAM/DESCRIPTION lines. True when the line was consumed. */
  private statementPrefix(): boolean {
    const { src } = this;
    let p = this.pos;
    while (p < this.end && isBlank(src.charCodeAt(p))) p++;
    this.pos = p;
    if (p >= this.end) return false;
    const c = src.charCodeAt(p);
    const isComment =
      c === CH_QUOTE ||
      (c === CH_SLASH && src.charCodeAt(p + 1) === CH_SLASH) ||
      (c === CH_HASH && src.charCodeAt(p + 1) !== CH_LBRACE) ||
      this.wordAt(p, "REM");
    if (isComment) {
      this.skipToLineEnd();
      if (this.pos < this.end) this.consumeLineBreak();
      return true;
    }
    for (const keyword of ["PARAM", "DESCRIPTION"] as const) {
      if (!this.wordAt(p, keyword)) continue;
      let q = p + keyword.length;
      if (q >= this.end || !isBlank(src.charCodeAt(q))) return false;
      while (q < this.end && isBlank(src.charCodeAt(q))) q++;
      const next = src.charCodeAt(q);
      if (q >= this.end || next === CH_LF || next === CH_CR || next === CH_EQ) return false;
      this.pos = p + keyword.length;
      this.push("identifier", p, this.pos);
      this.pos = q;
      this.restOfLineAsRaw();
      return false; // the line break is handled by the main loop, which emits the newline token
    }
    return false;
  }

  /** True when the word `upper` (case-insensitive) starts at `p` and is followed by a non-identifier char. */
  private wordAt(p: number, upper: string): boolean {
    const { src } = this;
    if (p + upper.length > this.end) return false;
    for (let i = 0; i < upper.length; i++) {
      if ((src.charCodeAt(p + i) & ~32) !== upper.charCodeAt(i)) return false;
    }
    return !isIdentPart(src.charCodeAt(p + upper.length));
  }

  private restOfLineAsRaw(): void {
    const start = this.pos;
    let stop = this.lineEnd(start);
    this.pos = stop;
    while (stop > start && isBlank(this.src.charCodeAt(stop - 1))) stop--;
    this.push("raw", start, stop);
  }

  /** Inside a BEGIN … block. True when the line was consumed as raw text or a comment. */
  private rawLine(): boolean {
    const { src } = this;
    const lineEnd = this.lineEnd(this.pos);
    let first = this.pos;
    while (first < lineEnd && isBlank(src.charCodeAt(first))) first++;
    let last = lineEnd;
    while (last > first && isBlank(src.charCodeAt(last - 1))) last--;
    if (this.isBlockEnd(first, last)) {
      this.rawBlock = null;
      this.pos = first;
      return false; // lex `END …` normally
    }
    const c = src.charCodeAt(first);
    const comment =
      first < last && (c === CH_QUOTE || (c === CH_SLASH && src.charCodeAt(first + 1) === CH_SLASH) || this.wordAt(first, "REM"));
    if (!comment) {
      this.push("raw", first, last);
      this.push("newline", last, last);
      this.atStatementStart = true;
      this.statementFirstToken = this.tokens.length;
    }
    this.pos = lineEnd;
    if (this.pos < this.end) this.consumeLineBreak();
    return true;
  }

  /** `END TALK` / `END MAIL` / `END SYSTEM PROMPT` (any case, any blanks), optionally followed by a comment. */
  private isBlockEnd(first: number, last: number): boolean {
    const { src } = this;
    let p = first;
    for (const word of ["END", ...(this.rawBlock ?? "").split(" ")]) {
      if (!this.wordAt(p, word) || p + word.length > last) return false;
      p += word.length;
      const wordEnd = p;
      while (p < last && isBlank(src.charCodeAt(p))) p++;
      if (p === wordEnd && p < last) return false;
    }
    const c = src.charCodeAt(p);
    return p >= last || c === CH_QUOTE || (c === CH_SLASH && src.charCodeAt(p + 1) === CH_SLASH);
  }

  private lineEnd(from: number): number {
    const { src } = this;
    let p = from;
    while (p < this.end) {
      const c = src.charCodeAt(p);
      if (c === CH_LF || c === CH_CR) break;
      p++;
    }
    return p;
  }

  private skipToLineEnd(): void {
    this.pos = this.lineEnd(this.pos);
  }

  private consumeLineBreak(): void {
    const { src } = this;
    if (src.charCodeAt(this.pos) === CH_CR && src.charCodeAt(this.pos + 1) === CH_LF) this.pos += 2;
    else this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  /** A physical line ends: emit a `newline` unless the statement continues (trailing comma). */
  private endOfLine(): void {
    const last = this.tokens[this.tokens.length - 1];
    const statementOpen = last !== undefined && last.kind !== "newline";
    if (statementOpen && last.kind === "punct" && last.text === ",") {
      this.atStatementStart = false;
    } else if (statementOpen) {
      this.push("newline", this.pos, this.pos);
      this.detectRawBlock();
      this.atStatementStart = true;
      this.statementFirstToken = this.tokens.length;
    }
    this.consumeLineBreak();
  }

  /** ` _` at the end of a line joins the next line to this statement. */
  private lineContinuation(): boolean {
    const { src } = this;
    if (src.charCodeAt(this.pos) !== CH_UNDERSCORE || isIdentPart(src.charCodeAt(this.pos + 1))) return false;
    const before = this.pos === this.lineStart ? CH_SPACE : src.charCodeAt(this.pos - 1);
    if (!isBlank(before)) return false;
    let p = this.pos + 1;
    while (p < this.end && isBlank(src.charCodeAt(p))) p++;
    const c = src.charCodeAt(p);
    if (p < this.end && c !== CH_LF && c !== CH_CR && c !== CH_QUOTE) return false;
    this.pos = p;
    this.skipToLineEnd();
    if (this.pos < this.end) this.consumeLineBreak();
    this.atStatementStart = false;
    return true;
  }

  private detectRawBlock(): void {
    const t = this.tokens;
    const first = t[this.statementFirstToken];
    const second = t[this.statementFirstToken + 1];
    if (first?.upper !== "BEGIN" || second === undefined) return;
    if (second.upper === "TALK") this.rawBlock = "TALK";
    else if (second.upper === "MAIL") this.rawBlock = "MAIL";
    else if (second.upper === "SYSTEM" && t[this.statementFirstToken + 2]?.upper === "PROMPT") this.rawBlock = "SYSTEM PROMPT";
  }

  // ── tokens ────────────────────────────────────────────────────────────────────────────────────────

  private identifier(): void {
    const start = this.pos;
    let p = start + 1;
    while (p < this.end && isIdentPart(this.src.charCodeAt(p))) p++;
    this.pos = p;
    this.push("identifier", start, p);
  }

  private number(): void {
    const { src } = this;
    const start = this.pos;
    let p = start;
    const radix = src.charCodeAt(p + 1) | 32;
    const digit = radix === 120 /* x */ ? isHexDigit : radix === 98 /* b */ ? isBinaryDigit : radix === 111 /* o */ ? isOctalDigit : null;
    if (src.charCodeAt(p) === CH_0 && digit !== null && p + 2 < this.end && digit(src.charCodeAt(p + 2))) {
      p += 2; // Rhai's 0x1F, 0b101, 0o17: only the digits of the radix (`0b102` is 0b10, then 2)
      while (p < this.end && (digit(src.charCodeAt(p)) || src.charCodeAt(p) === CH_UNDERSCORE)) p++;
      this.pos = p;
      this.push("number", start, p);
      return;
    }
    while (isDigit(src.charCodeAt(p))) p++;
    if (src.charCodeAt(p) === CH_DOT && isDigit(src.charCodeAt(p + 1))) {
      p++;
      while (isDigit(src.charCodeAt(p))) p++;
    }
    const e = src.charCodeAt(p) | 32;
    if (e === 101 /* e */) {
      let q = p + 1;
      const sign = src.charCodeAt(q);
      if (sign === 43 || sign === 45) q++;
      if (isDigit(src.charCodeAt(q))) {
        while (isDigit(src.charCodeAt(q))) q++;
        p = q;
      }
    }
    this.pos = Math.min(p, this.end);
    this.push("number", start, this.pos);
  }

  private string(): void {
    const { src } = this;
    const start = this.pos;
    let p = start + 1;
    for (;;) {
      if (p >= this.end) break;
      const c = src.charCodeAt(p);
      if (c === CH_LF || c === CH_CR) break;
      if (c === CH_BACKSLASH) {
        const n = src.charCodeAt(p + 1);
        p += p + 1 < this.end && n !== CH_LF && n !== CH_CR ? 2 : 1;
        continue;
      }
      if (c === CH_DQUOTE) {
        if (src.charCodeAt(p + 1) === CH_DQUOTE && p + 1 < this.end) {
          p += 2; // BASIC's "" is an escaped quote
          continue;
        }
        this.pos = p + 1;
        this.push("string", start, this.pos);
        return;
      }
      p++;
    }
    this.pos = p;
    const token = this.push("string", start, p);
    token.unterminated = true;
    this.sink.lexicalError("unterminated-string", "String is not terminated before the end of the line", {
      line: token.line,
      column: token.column,
      endLine: token.endLine,
      endColumn: token.endColumn,
    });
  }

  /**
   * `'` after code starts a comment, except where a value is due — after an operator, `(`, `,` or an
   * upper-case keyword (`IF x = '' THEN`, `TALK 'Hi'`) — and a closing `'` follows on the line: then it is
   * a single-quoted string (`''` inside stands for one quote). Returns false when it is a comment.
   */
  private singleQuotedString(): boolean {
    const { src } = this;
    const prev = this.tokens[this.tokens.length - 1];
    // In a `${…}` fragment a value is due at its start too.
    if (prev === undefined ? !this.fragment : prev.kind === "newline") return false;
    const valueDue =
      prev === undefined ||
      (prev.kind === "punct" && VALUE_AFTER_PUNCT.has(prev.text)) ||
      (prev.kind === "identifier" && prev.text === prev.upper && /^[A-Z]/.test(prev.text));
    if (!valueDue) return false;
    const lineEnd = this.lineEnd(this.pos);
    let p = this.pos + 1;
    while (p < lineEnd) {
      if (src.charCodeAt(p) === CH_QUOTE) {
        if (src.charCodeAt(p + 1) === CH_QUOTE && p + 1 < lineEnd) {
          p += 2;
          continue;
        }
        if (isIdentPart(src.charCodeAt(p + 1)) && p + 1 < lineEnd) return false;
        const start = this.pos;
        this.pos = p + 1;
        this.push("string", start, this.pos);
        return true;
      }
      p++;
    }
    return false;
  }

  /** A Rhai back-tick string; may span lines; `${…}` parts may contain braces and strings. */
  private template(): void {
    const { src } = this;
    const start = this.pos;
    const startLine = this.line;
    const startLineStart = this.lineStart;
    let depth = 0;
    let p = start + 1;
    while (p < this.end) {
      const c = src.charCodeAt(p);
      if (c === CH_BACKSLASH) {
        const n = src.charCodeAt(p + 1);
        p += n === CH_LF || n === CH_CR ? 1 : 2;
        continue;
      }
      if (depth === 0 && c === CH_BACKTICK) {
        this.pos = p + 1;
        this.push("template", start, this.pos, startLine, startLineStart);
        return;
      }
      if (c === 36 /* $ */ && src.charCodeAt(p + 1) === CH_LBRACE) {
        depth++;
        p += 2;
        continue;
      }
      if (depth > 0 && c === CH_LBRACE) depth++;
      else if (depth > 0 && c === CH_RBRACE) depth--;
      else if (depth > 0 && c === CH_DQUOTE) {
        p++;
        while (p < this.end && src.charCodeAt(p) !== CH_DQUOTE && src.charCodeAt(p) !== CH_LF) p += src.charCodeAt(p) === CH_BACKSLASH ? 2 : 1;
      } else if (c === CH_LF || (c === CH_CR && src.charCodeAt(p + 1) !== CH_LF)) {
        this.line++;
        this.lineStart = p + 1;
      }
      p++;
    }
    // Unterminated: report it and resume lexing after the opening line.
    this.line = startLine;
    this.lineStart = startLineStart;
    this.pos = start;
    const stop = this.lineEnd(start);
    this.pos = stop;
    const token = this.push("template", start, stop);
    token.unterminated = true;
    this.sink.lexicalError("unterminated-string", "Back-tick string is not terminated", {
      line: token.line,
      column: token.column,
      endLine: token.endLine,
      endColumn: token.endColumn,
    });
  }

  private punct(c: number): boolean {
    const ch = String.fromCharCode(c);
    const start = this.pos;
    const two = TWO_CHAR[ch];
    if (two !== undefined && this.pos + 1 < this.end) {
      const pair = this.src.slice(start, start + 2);
      if (two.includes(pair)) {
        this.flushBad();
        this.pos += 2;
        this.push("punct", start, this.pos);
        return true;
      }
    }
    if (!ONE_CHAR.has(ch)) return false;
    this.flushBad();
    this.pos++;
    this.push("punct", start, this.pos);
    return true;
  }

  private flushBad(): void {
    if (this.badStart < 0) return;
    const start = this.badStart;
    this.badStart = -1;
    const text = this.src.slice(start, this.pos);
    const column = start - this.lineStart + 1;
    const shown = text.length > 12 ? `${text.slice(0, 12)}…` : text;
    this.sink.lexicalError("unexpected-character", `Unexpected character${text.length > 1 ? "s" : ""} ${JSON.stringify(shown)}`, {
      line: this.line,
      column,
      endLine: this.line,
      endColumn: column + text.length,
    });
  }

  private push(kind: TokenKind, start: number, end: number, line = this.line, lineStart = this.lineStart): Token {
    const text = this.src.slice(start, end);
    const token: Token = {
      kind,
      text,
      upper: kind === "identifier" ? text.toUpperCase() : "",
      start,
      end,
      line,
      column: start - lineStart + 1,
      endLine: this.line,
      endColumn: end - this.lineStart + 1,
    };
    if (kind !== "newline") this.atStatementStart = false;
    this.tokens.push(token);
    return token;
  }
}
