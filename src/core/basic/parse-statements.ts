/**
 * One statement line → a LineItem. Dispatch on the first word (keywords are case-insensitive here):
 *   `x = …`, `obj.k = …`, `a[i] += …`, `f(…)`      assignment / call (checked first: a variable may be
 *                                                    named like a keyword, e.g. `list = FIND …`);
 *                                                    `SET x = …` is an assignment too
 *   `label:`                                         GOTO target
 *   IF / SELECT / FOR / WHILE / DO / WITH / SUB …    block lines (parse-block-lines.ts)
 *   BEGIN TALK / MAIL / SYSTEM PROMPT               text blocks (parse-begin-blocks.ts)
 *   PARAM, DESCRIPTION, SET SCHEDULE, WEBHOOK,
 *   USE WEBSITE                                      compile-time directives (tool definitions, schedules…)
 *   EXIT, GOTO, CALL, RETURN, LET, CONST, BREAK, CONTINUE, THROW
 *   anything else                                    a keyword form (keyword-forms.ts), a registered
 *                                                    function called without parentheses (`LOG_INFO "x"`),
 *                                                    or one error naming what the runtime offers
 * A syntax error aborts the line: its diagnostic is recorded, the rest of the line skipped, and — for a
 * block line — the block is still opened or closed, so one typo does not cascade into stray-END errors.
 */
import { abort, ParseAbort, spanOf } from "./diagnostics.js";
import { formsStartingWith, type KeywordForm } from "./keyword-forms.js";
import { noRuntimeFormMessage, upperCaseWords } from "./no-runtime-form.js";
import { RUNTIME } from "./runtime-profile.js";
import { BLOCK_NAMES, type FrameKind, type LineItem } from "./line-items.js";
import { matchKeywordForm } from "./match-keyword-form.js";
import { parseBeginBlock } from "./parse-begin-blocks.js";
import { parseBlockLine, recoverBlockLine } from "./parse-block-lines.js";
import { assertTreeDepth, MAX_EXPRESSION_TREE_DEPTH } from "./expression-depth.js";
import { ExpressionParser, type ParseContext } from "./parse-expressions.js";
import { parseDescription, parseParam } from "./parse-param.js";
import { scheduleToCron } from "./schedule.js";
import { stringValue } from "./string-literals.js";
import type { AssignStmt, Expr, ExitTarget, LoopKind, Stmt } from "./syntax-tree.js";
import { lineItemExpressions } from "./syntax-walk.js";
import { spanBetween, type TokenCursor } from "./token-cursor.js";
import { describeToken, endsStatement, isPunct, isWord, type Token } from "./tokens.js";

/** A line that goes on a broken `{ … }` / `[ … ]` literal: an entry (`"k": v`, `k: v`, `v,`) or its end. */
function continuesLiteral(first: Token, second: Token): boolean {
  if (first.kind === "string" || first.kind === "number" || first.kind === "template") return true;
  if (first.kind === "punct") return first.text === "}" || first.text === "]" || first.text === "," || first.text === "{" || first.text === "[" || first.text === "#{";
  if (first.kind !== "identifier") return false;
  return (endsStatement(second) && !STATEMENT_WORDS.has(first.upper)) || (second.kind === "punct" && [":", ",", "}", "]"].includes(second.text));
}

/** How far recovery looks for the bracket a broken statement left open. */
const MAX_SKIPPED_LINES = 200;

/** Nesting of single-line IFs (`IF a THEN IF b THEN …`) on one line. */
export const MAX_INLINE_NESTING = 100;

/** What the statement parser needs to know about the blocks around it. */
export interface BlockContext {
  /** Kinds of the open blocks, outermost first. */
  openKinds(): readonly FrameKind[];
  /** Records that a BREAK/EXIT leaves the open block at `index` (a FOR EACH left that way runs as Rhai's `for`). */
  noteExit(index: number): void;
}

const LOOP_FRAMES: readonly FrameKind[] = ["for-each", "for-to", "while", "do"];

/** Words that are statements of their own, so `WORD(` is never read as a call. */
const STATEMENT_WORDS = new Set([
  "IF", "ELSEIF", "ELSE", "ENDIF", "END", "SELECT", "CASE", "FOR", "NEXT", "WHILE", "WEND", "DO", "LOOP",
  "WITH", "SUB", "FUNCTION", "TABLE", "BEGIN", "EXIT", "GOTO", "CALL", "RETURN", "LET", "CONST", "BREAK",
  "CONTINUE", "THROW", "PARAM", "DESCRIPTION", "WEBHOOK",
]);

const ASSIGN_OPS = new Set(["=", "+=", "-=", "*=", "/="]);

function isAssignOp(t: Token): boolean {
  return t.kind === "punct" && ASSIGN_OPS.has(t.text);
}

const isElse = (t: Token): boolean => isWord(t, "ELSE");

export class StatementParser {
  readonly exprs: ExpressionParser;
  private inlineNesting = 0;

  constructor(
    readonly cursor: TokenCursor,
    readonly context: ParseContext,
    readonly blocks: BlockContext,
  ) {
    this.exprs = new ExpressionParser(cursor, context);
  }

  /** Parses the statement at the cursor; never throws a syntax error (it becomes a diagnostic). */
  parseLine(): LineItem {
    const c = this.cursor;
    const start = c.pos;
    this.exprs.startStatement();
    try {
      const item = this.line();
      if (c.pos - start > MAX_EXPRESSION_TREE_DEPTH) assertTreeDepth(lineItemExpressions(item));
      return item;
    } catch (e) {
      if (!(e instanceof ParseAbort)) throw e;
      this.context.sink.addSyntaxError(e.diagnostic, c.tokens[start]?.line);
      const recovered = recoverBlockLine(c.tokens, start);
      this.skipBrokenStatement(start);
      return recovered;
    }
  }

  /**
   * Skips the rest of a statement that failed, and — when it left a `{` or `[` open (`data = {` with a
   * bad entry) — the following lines that are the rest of that literal (entries, `}`), so that they are
   * not reported again line by line (`Expected a statement, found '}'`). A line that looks like a
   * statement of its own ends the skip.
   */
  private skipBrokenStatement(start: number): void {
    const c = this.cursor;
    let depth = 0;
    const track = (t: Token) => {
      if (t.kind !== "punct") return;
      if (t.text === "[" || t.text === "{" || t.text === "#{") depth++;
      else if ((t.text === "]" || t.text === "}") && depth > 0) depth--;
    };
    for (let i = start; i < c.pos; i++) track(c.tokens[i]!);
    const limit = c.peek().line + MAX_SKIPPED_LINES;
    for (;;) {
      while (!endsStatement(c.peek())) track(c.next());
      const t = c.peek();
      if (depth === 0 || t.kind !== "newline" || t.line > limit || !continuesLiteral(c.peek(1), c.peek(2))) return;
      c.pos++; // a line break inside the open literal
    }
  }

  private line(): LineItem {
    const c = this.cursor;
    const t = c.peek();
    if (t.kind !== "identifier") {
      return abort("unexpected-token", `Expected a statement, found ${describeToken(t)}`, spanOf(t));
    }
    if (!this.startsReference(t)) {
      const block = parseBlockLine(this, t);
      if (block !== null) return block;
      if (t.upper === "BEGIN") return { kind: "stmt", stmt: parseBeginBlock(this, t) };
    }
    return { kind: "stmt", stmt: this.simpleStatement(false) };
  }

  /** `name =`, `name.x`, `name[i]`, `name(` — a variable or call, whatever the name. */
  private startsReference(t: Token, offset = 0): boolean {
    const next = this.cursor.peek(offset + 1);
    if (isAssignOp(next)) return true;
    const adjacent = next.start === t.end;
    if (adjacent && (isPunct(next, ".") || isPunct(next, "["))) return true;
    return adjacent && isPunct(next, "(") && !STATEMENT_WORDS.has(t.upper);
  }

  /** Ends a statement; inside a single-line IF, ELSE also ends it. */
  endStatement(inline: boolean): void {
    this.cursor.expectStatementEnd(inline ? isElse : undefined);
  }

  /** Runs `parse` one single-line-IF level deeper. */
  nested<T>(parse: () => T): T {
    if (++this.inlineNesting > MAX_INLINE_NESTING) {
      this.inlineNesting--;
      abort("nesting-too-deep", `Single-line IF nested more than ${MAX_INLINE_NESTING} levels deep`, spanOf(this.cursor.peek()));
    }
    try {
      return parse();
    } finally {
      this.inlineNesting--;
    }
  }

  /** A statement that is not a block line: also what a single-line IF may contain. */
  simpleStatement(inline: boolean): Stmt {
    const c = this.cursor;
    const t = c.peek();
    if (t.kind !== "identifier") return abort("unexpected-token", `Expected a statement, found ${describeToken(t)}`, spanOf(t));
    if (this.startsReference(t)) return this.assignmentOrCall(null, inline);
    if (isPunct(c.peek(1), ":") && endsStatement(c.peek(2)) && !inline) {
      c.pos += 2;
      return { kind: "label", name: t.text, span: spanOf(t) };
    }
    switch (t.upper) {
      case "IF": {
        const item = parseBlockLine(this, t, true);
        if (item?.kind === "stmt") return item.stmt;
        return abort("unexpected-token", "A block IF cannot be used inside a single-line IF", spanOf(t));
      }
      case "LET":
      case "CONST":
        c.pos++;
        return this.assignmentOrCall(t.upper === "LET" ? "let" : "const", inline, t);
      case "SET":
        if (isWord(c.peek(1), "SCHEDULE")) return this.setSchedule(t, inline);
        if (c.peek(1).kind === "identifier" && this.startsReference(c.peek(1), 1) && !isPunct(c.peek(2), "(")) {
          c.pos++; // `SET x = …` is an assignment
          return this.assignmentOrCall(null, inline, t);
        }
        break;
      case "EXIT":
        return this.exit(t, inline);
      case "GOTO": {
        c.pos++;
        const label = c.expectIdentifier("after GOTO");
        this.endStatement(inline);
        return { kind: "goto", label: label.text, labelSpan: spanOf(label), span: spanBetween(t, label) };
      }
      case "RETURN": {
        c.pos++;
        const value = c.atStatementEnd() || (inline && isElse(c.peek())) ? null : this.exprs.parseExpression();
        this.endStatement(inline);
        return { kind: "return", value, span: spanBetween(t, c.previous()) };
      }
      case "THROW": {
        c.pos++;
        const value = this.exprs.parseExpression();
        this.endStatement(inline);
        return { kind: "throw", value, span: spanBetween(t, c.previous()) };
      }
      case "BREAK":
      case "CONTINUE":
        c.pos++;
        this.endStatement(inline);
        this.leaveLoop(t, t.upper, null);
        return { kind: "jump", jump: t.upper === "BREAK" ? "break" : "continue", span: spanOf(t) };
      case "CALL":
        return this.call(t, inline);
      case "PARAM":
      case "DESCRIPTION":
        return this.toolLine(t);
      case "WEBHOOK":
        return this.webhook(t, inline);
      case "USE":
        if (isWord(c.peek(1), "WEBSITE")) return this.useWebsite(t, inline);
        break;
      case "ON":
        // ON ERROR RESUME NEXT / ON ERROR GOTO 0: Rhai's try … catch around each statement that follows.
        if (isWord(c.peek(1), "ERROR")) {
          const resume = isWord(c.peek(2), "RESUME") && isWord(c.peek(3), "NEXT");
          const off = isWord(c.peek(2), "GOTO") && c.peek(3).kind === "number" && c.peek(3).text === "0";
          if (resume || off) {
            c.pos += 4;
            this.endStatement(inline);
            return { kind: "on-error", resumeNext: resume, span: spanBetween(t, c.previous()) };
          }
        }
        break;
      default:
        if ((STATEMENT_WORDS.has(t.upper) || t.upper === "BEGIN") && formsStartingWith(t.upper).length === 0) {
          return abort("unexpected-token", `${t.upper} cannot be used here`, spanOf(t));
        }
    }
    const procedure = this.context.procedures.get(t.upper);
    if (procedure !== undefined) return this.procedureCall(t, procedure, inline);
    return this.keywordStatement(t, inline);
  }

  private keywordStatement(t: Token, inline: boolean): Stmt {
    const c = this.cursor;
    const underscore = t.upper.indexOf("_");
    const forms = formsStartingWith(underscore > 0 ? t.upper.slice(0, underscore) : t.upper);
    const match = forms.length === 0 ? null : this.matchForms(t, forms, inline);
    if (match !== null) {
      this.endStatement(inline);
      return { kind: "keyword", form: match.form, lowered: match.lowered, span: spanBetween(t, c.previous()) };
    }
    // A registered function written as a statement, BASIC style: `LOG_INFO "started"`, and one named by
    // the statement's words: `TRANSFER TO HUMAN` is transfer_to_human().
    const words = this.leadingWords();
    for (let n = words.upper.length; n >= 1; n--) {
      const name = words.upper.slice(0, n).join("_");
      if (!RUNTIME.knowsFunction(name)) continue;
      c.pos += n;
      const args = this.arguments(c.previous(), inline);
      this.endStatement(inline);
      const span = spanBetween(t, c.previous());
      return { kind: "expr", expr: { kind: "call", callee: { kind: "identifier", name: n === 1 ? t.text : name, span: spanOf(t) }, args, span }, span };
    }
    const span = spanBetween(t, words.last);
    if (forms.length > 0 || RUNTIME.offersFor(t.upper).length > 0) return abort("no-runtime-form", noRuntimeFormMessage(words.upper, null), span);
    return abort("unknown-statement", `${t.text}: unknown statement (the botserver runtime registers no ${t.upper} syntax and no ${t.upper} function)`, spanOf(t));
  }

  /**
   * Matches the keyword forms. When none fits and the statement starts with keywords no form has
   * (`ON FORM SUBMIT "f"`, `REMEMBER USER FACT x`), the error names that construct, not the argument the
   * one-word form of the runtime (`ON name OF "text"`) expected.
   */
  private matchForms(t: Token, forms: readonly KeywordForm[], inline: boolean) {
    const c = this.cursor;
    try {
      return matchKeywordForm(c, forms, this.exprs, "statement", inline ? isElse : undefined);
    } catch (e) {
      if (!(e instanceof ParseAbort)) throw e;
      const words = upperCaseWords(c.tokens, c.pos).map((w) => w.upper);
      const phrases = forms.map((f) => f.phrase.toUpperCase().replace(/_/g, " "));
      const known = (n: number) => phrases.includes(words.slice(0, n).join(" "));
      if (words.length >= 2 && ![2, 3, 4].some((n) => n <= words.length && known(n))) {
        abort("no-runtime-form", noRuntimeFormMessage(words, null), spanBetween(t, c.tokens[c.pos + words.length - 1]!));
      }
      throw e;
    }
  }

  /**
   * The keywords a statement starts with: its first words written in the same case as the first one
   * (`SEND FILE TO x` → SEND FILE TO; `transfer to human` → TRANSFER TO HUMAN), at most four.
   */
  private leadingWords(): { upper: string[]; last: Token } {
    const c = this.cursor;
    const first = c.peek();
    const caseOf = (t: Token) => (t.text === t.upper ? "upper" : t.text === t.text.toLowerCase() ? "lower" : "mixed");
    const upper = [first.upper];
    let last = first;
    for (let i = 1; i < 4 && caseOf(first) !== "mixed"; i++) {
      const t = c.peek(i);
      if (t.kind !== "identifier" || caseOf(t) !== caseOf(first)) break;
      upper.push(t.upper);
      last = t;
    }
    return { upper, last };
  }

  private assignmentOrCall(declare: AssignStmt["declare"], inline: boolean, keyword?: Token): Stmt {
    const c = this.cursor;
    const first = keyword ?? c.peek();
    const target = declare === null ? this.exprs.parseReference() : this.declaredName();
    const op = c.peek();
    if (isAssignOp(op)) {
      if (target.kind === "call") abort("invalid-assignment-target", "Cannot assign to a call", target.span);
      if (declare !== null && op.text !== "=") abort("expected-token", `Expected '=' after ${declare.toUpperCase()} ${describeToken(op)}`, spanOf(op));
      c.pos++;
      const value = this.exprs.parseExpression();
      this.endStatement(inline);
      return { kind: "assign", target, op: op.text as AssignStmt["op"], value, declare, span: spanBetween(first, c.previous()) };
    }
    if (target.kind !== "call" || declare !== null) {
      return abort("expected-token", `Expected '=' or a call, found ${describeToken(op)}`, spanOf(op));
    }
    this.endStatement(inline);
    return { kind: "expr", expr: target, span: spanBetween(first, c.previous()) };
  }

  private declaredName(): Expr {
    const name = this.cursor.expectName("to declare");
    return { kind: "identifier", name: name.text, span: spanOf(name) };
  }

  private exit(t: Token, inline: boolean): Stmt {
    const c = this.cursor;
    c.pos++;
    // A bare EXIT leaves the innermost loop.
    const what = endsStatement(c.peek()) || (inline && isElse(c.peek())) ? null : c.next();
    const targets: Record<string, ExitTarget> = { FOR: "for", DO: "do", WHILE: "while", SUB: "sub", FUNCTION: "function" };
    const target = what === null ? "loop" : targets[what.upper];
    if (what !== null && target === undefined) {
      return abort("expected-token", `Expected FOR, DO, WHILE, SUB or FUNCTION after EXIT, found ${describeToken(what)}`, spanOf(what));
    }
    this.endStatement(inline);
    const span = what === null ? spanOf(t) : spanBetween(t, what);
    if (target === "sub" || target === "function") {
      if (!this.blocks.openKinds().includes(target)) abort("invalid-exit", `EXIT ${what!.upper} is not inside a ${what!.upper}`, span);
      return { kind: "exit", target, loop: null, span };
    }
    const loop = this.leaveLoop(t, what === null ? "EXIT" : `EXIT ${what.upper}`, target!);
    return { kind: "exit", target: target!, loop, span };
  }

  /**
   * The loop a BREAK / CONTINUE / EXIT leaves: the innermost one of its kind. Rhai's `break` leaves only
   * the innermost loop, so leaving an outer loop from inside an inner one cannot be written.
   */
  private leaveLoop(t: Token, what: string, target: ExitTarget | null): LoopKind {
    const kinds: Record<string, readonly FrameKind[]> = { for: ["for-each", "for-to"], do: ["do"], while: ["while"], loop: LOOP_FRAMES };
    const wanted = kinds[target ?? "loop"]!;
    const open = this.blocks.openKinds();
    let i = open.length - 1;
    while (i >= 0 && !LOOP_FRAMES.includes(open[i]!) && open[i] !== "sub" && open[i] !== "function") i--;
    const innermost = i >= 0 ? open[i]! : null;
    if (innermost === null || !LOOP_FRAMES.includes(innermost)) {
      return abort("invalid-exit", `${what} is not inside a loop${target !== null && target !== "loop" ? ` of that kind` : ""}`, spanOf(t));
    }
    if (!wanted.includes(innermost)) {
      const outer = open.slice(0, i).some((k) => wanted.includes(k));
      return abort(
        "invalid-exit",
        outer
          ? `${what} from inside a ${BLOCK_NAMES[innermost].open} loop: the runtime's language (Rhai) can only leave the innermost loop; set a flag and leave the loops one at a time`
          : `${what} is not inside a loop of that kind`,
        spanOf(t),
      );
    }
    this.blocks.noteExit(i);
    return innermost as LoopKind;
  }

  /** `CALL name`, `CALL name(args)`, `CALL name args`, `CALL "name"`. */
  private call(t: Token, inline: boolean): Stmt {
    const c = this.cursor;
    c.pos++;
    const quoted = c.peek();
    let name: Token;
    if (quoted.kind === "string" && !quoted.unterminated) {
      // `CALL "name"`: the runtime's CALL takes a name, not a text.
      const text = stringValue(quoted);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) abort("invalid-call", `CALL "${text}": the runtime's CALL takes a script or procedure name, and "${text}" is not one`, spanOf(quoted));
      c.pos++;
      name = { ...quoted, kind: "identifier", text, upper: text.toUpperCase() };
    } else name = c.expectIdentifier("after CALL");
    const args = this.arguments(name, inline);
    const local = this.context.procedures.get(name.upper);
    if (local === undefined && args.length > 0) {
      abort("invalid-call", `CALL ${name.text}(…): '${name.text}' is not a SUB or FUNCTION of this script, and the runtime's CALL takes no arguments (its only CALL is \`CALL $ident$\`)`, spanBetween(t, c.previous()));
    }
    this.endStatement(inline);
    return { kind: "call-sub", name: local ?? name.text, args, local: local !== undefined, span: spanBetween(t, c.previous()) };
  }

  /** `Name args` / `Name(args)` for a SUB or FUNCTION of this script. */
  private procedureCall(t: Token, name: string, inline: boolean): Stmt {
    this.cursor.pos++;
    const args = this.arguments(t, inline);
    this.endStatement(inline);
    return { kind: "call-sub", name, args, local: true, span: spanBetween(t, this.cursor.previous()) };
  }

  private arguments(after: Token, inline: boolean): Expr[] {
    const c = this.cursor;
    const args: Expr[] = [];
    const next = c.peek();
    if (isPunct(next, "(") && next.start === after.end) {
      c.pos++;
      c.skipNewlines();
      if (c.acceptPunct(")")) return args;
      for (;;) {
        args.push(this.exprs.parseExpression());
        c.skipNewlines();
        if (c.acceptPunct(")")) return args;
        c.expectPunct(",", "between arguments");
        c.skipNewlines();
      }
    }
    if (c.atStatementEnd() || (inline && isElse(c.peek()))) return args;
    args.push(this.exprs.parseExpression());
    while (c.acceptPunct(",")) args.push(this.exprs.parseExpression());
    return args;
  }

  // ── compile-time directives ───────────────────────────────────────────────────────────────────────

  private toolLine(t: Token): Stmt {
    const c = this.cursor;
    c.pos++;
    const rest = c.peek().kind === "raw" ? c.next() : null;
    c.expectStatementEnd();
    const span = spanBetween(t, c.previous());
    const sink = this.context.sink;
    if (t.upper === "PARAM") return { kind: "param", param: parseParam(t, rest, sink), span };
    return { kind: "description", text: parseDescription(t, rest, sink), span };
  }

  private stringArgument(keyword: string): Token {
    const t = this.cursor.peek();
    if (t.kind !== "string") abort("expected-token", `${keyword} needs a quoted text, found ${describeToken(t)}`, spanOf(t));
    if (t.unterminated) abort("unterminated-string", "String is not terminated", spanOf(t));
    this.cursor.pos++;
    return t;
  }

  private warnIfInBlock(t: Token, what: string, inline: boolean): void {
    if (inline || this.blocks.openKinds().length > 0) {
      this.context.sink.warning("directive-in-block", `${what} takes effect when the script is compiled, whatever the block around it`, spanOf(t));
    }
  }

  private setSchedule(t: Token, inline: boolean): Stmt {
    const c = this.cursor;
    c.pos += 2;
    const literal = this.stringArgument("SET SCHEDULE");
    this.endStatement(inline);
    this.warnIfInBlock(t, "SET SCHEDULE", inline);
    const source = stringValue(literal);
    const result = scheduleToCron(source);
    if (!result.ok) {
      const code = result.message.includes("system_automations") ? "schedule-too-long" : "invalid-schedule";
      this.context.sink.error(code, result.message, spanOf(literal));
    }
    return { kind: "set-schedule", source, cron: result.ok ? result.cron : null, sourceSpan: spanOf(literal), span: spanBetween(t, literal) };
  }

  private webhook(t: Token, inline: boolean): Stmt {
    this.cursor.pos++;
    const literal = this.stringArgument("WEBHOOK");
    this.endStatement(inline);
    this.warnIfInBlock(t, "WEBHOOK", inline);
    const endpoint = stringValue(literal);
    if (endpoint.trim() === "") this.context.sink.error("invalid-webhook", "WEBHOOK needs a non-empty endpoint name", spanOf(literal));
    return { kind: "webhook", endpoint, span: spanBetween(t, literal) };
  }

  private useWebsite(t: Token, inline: boolean): Stmt {
    const c = this.cursor;
    c.pos += 2;
    const url = this.exprs.parseExpression();
    const refresh = c.acceptWord("REFRESH") ? this.exprs.parseExpression() : null;
    this.endStatement(inline);
    if (url.kind !== "string" || (refresh !== null && refresh.kind !== "string")) {
      this.context.sink.warning(
        "website-not-literal",
        "USE WEBSITE with a computed URL or refresh is called at run time but not registered for crawling when the script is compiled",
        url.span,
      );
    }
    return { kind: "use-website", url, refresh, span: spanBetween(t, c.previous()) };
  }
}
