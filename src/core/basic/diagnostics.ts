/**
 * Diagnostics: what the compiler reports about a script. Syntax errors are diagnostics, not exceptions —
 * the parser records one, resynchronises at the end of the statement and carries on, so one run reports
 * every error in the file.
 */
import type { Token } from "./tokens.js";

/** Positions are 1-based; columns count UTF-16 code units, as editors (LSP) do. */
export interface BasicDiagnostic {
  severity: "error" | "warning";
  code: DiagnosticCode;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export type DiagnosticCode =
  // lexical
  | "unexpected-character"
  | "unterminated-string"
  | "unterminated-interpolation"
  // syntax
  | "expected-expression"
  | "expected-token"
  | "unexpected-token"
  | "unknown-statement"
  | "missing-end"
  | "unmatched-end"
  | "mismatched-next"
  | "nesting-too-deep"
  | "invalid-assignment-target"
  | "invalid-with-entry"
  | "invalid-table-field"
  | "invalid-exit"
  | "invalid-call"
  | "sub-not-top-level"
  | "too-many-diagnostics"
  // GOTO
  | "undefined-label"
  | "duplicate-label"
  | "label-not-top-level"
  | "goto-in-loop"
  | "unused-label"
  // compile-time directives
  | "invalid-schedule"
  | "schedule-too-long"
  | "script-name-too-long"
  | "invalid-webhook"
  | "website-not-literal"
  | "directive-in-block"
  // tool definitions
  | "invalid-param"
  | "duplicate-param"
  | "invalid-description"
  | "invalid-tool-name"
  // the botserver runtime (runtime-profile.ts)
  | "no-runtime-form" //     error: the runtime has no syntax and no function for this statement
  | "keyword-as-name" //     error: a name Rhai reads as a custom keyword (TALK, LIST …)
  | "rhai-reserved-name" //  error: a name Rhai reserves (loop, new, match …) or does not accept (_1)
  | "duplicate-key" //       error: a map literal or WITH block gives a key twice
  | "duplicate-procedure" // error: a SUB/FUNCTION with the same name and parameter count twice
  | "constant-index" //      error: `"abc"["a"]`, `#{…}[0]`
  | "too-complex" //         error: beyond the nesting the runtime's parser accepts
  | "not-a-condition" //     error: a text, list or NULL where Rhai needs true or false
  | "not-iterable" //        error: FOR EACH over a number, TRUE/FALSE, a map or NULL
  | "unknown-function" //    warning: loads, fails when the call runs
  | "function-arity" //      warning: loads, fails when the call runs
  | "padded-arguments" //    warning: missing arguments passed as ""
  | "case-bare-word";

/** Where a diagnostic points: a token, or an explicit range. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A token is its own span (no copy: nodes keep a reference to their first token's position). */
export function spanOf(token: Token): Span {
  return token;
}

export function diagnostic(
  severity: BasicDiagnostic["severity"],
  code: DiagnosticCode,
  message: string,
  at: Span,
): BasicDiagnostic {
  return { severity, code, message, line: at.line, column: at.column, endLine: at.endLine, endColumn: at.endColumn };
}

/**
 * Thrown inside the parser to abandon the current statement; caught at the statement boundary, where its
 * diagnostic is recorded. Deliberately not an `Error`: no stack trace is captured, so recovery is cheap.
 */
export class ParseAbort {
  constructor(readonly diagnostic: BasicDiagnostic) {}
}

export function abort(code: DiagnosticCode, message: string, at: Span): never {
  throw new ParseAbort(diagnostic("error", code, message, at));
}

/** Past this many diagnostics a file is noise (random bytes, a binary uploaded as .bas): stop collecting. */
export const MAX_DIAGNOSTICS = 200;

export class DiagnosticSink {
  readonly items: BasicDiagnostic[] = [];
  private errorCount = 0;
  private capped = false;

  /** Lines with a lexical error: a syntax error on the same line is its consequence, not news. */
  private readonly lexicalErrorLines = new Set<number>();

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  lexicalError(code: DiagnosticCode, message: string, at: Span): void {
    this.lexicalErrorLines.add(at.line);
    this.error(code, message, at);
  }

  /**
   * A syntax error, unless the statement it belongs to (from `fromLine` to the error) already has a
   * lexical error: then it is only a consequence of that one.
   */
  addSyntaxError(d: BasicDiagnostic, fromLine = d.line): void {
    for (let line = Math.min(fromLine, d.line); line <= d.line; line++) if (this.lexicalErrorLines.has(line)) return;
    this.add(d);
  }

  add(d: BasicDiagnostic): void {
    if (this.capped) return;
    if (this.items.length >= MAX_DIAGNOSTICS) {
      this.capped = true;
      this.errorCount++;
      this.items.push({
        severity: "error",
        code: "too-many-diagnostics",
        message: `More than ${MAX_DIAGNOSTICS} problems; the rest are not reported`,
        line: d.line,
        column: d.column,
      });
      return;
    }
    if (d.severity === "error") this.errorCount++;
    this.items.push(d);
  }

  error(code: DiagnosticCode, message: string, at: Span): void {
    this.add(diagnostic("error", code, message, at));
  }

  warning(code: DiagnosticCode, message: string, at: Span): void {
    this.add(diagnostic("warning", code, message, at));
  }

  /** Diagnostics in file order (stable for equal positions). */
  sorted(): BasicDiagnostic[] {
    return this.items
      .map((d, i) => ({ d, i }))
      .sort((a, b) => a.d.line - b.d.line || a.d.column - b.d.column || a.i - b.i)
      .map((x) => x.d);
  }
}
