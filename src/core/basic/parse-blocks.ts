/**
 * The block assembler: turns the stream of LineItems into the nested tree with an explicit stack of open
 * blocks (iterative; nesting costs heap, not call stack).
 *
 * Repairs, each reported once:
 *   - a closer that matches a block further down the stack closes the blocks above it ("IF without
 *     END IF"), then its own;
 *   - a closer or middle (ELSE, CASE) that matches no open block is reported and ignored;
 *   - blocks still open at the end of the file are reported at their opening line and closed;
 *   - beyond MAX_BLOCK_DEPTH nested blocks the deeper ones are still parsed (for their errors) but only
 *     counted, not built, so no later pass can recurse too deep.
 */
import { abort, ParseAbort, spanOf, type Span } from "./diagnostics.js";
import { BLOCK_NAMES, CLOSER_NAMES, CLOSES, type FrameKind, type LineItem, type OpenBlock } from "./line-items.js";
import { assertTreeDepth, MAX_EXPRESSION_TREE_DEPTH } from "./expression-depth.js";
import type { ParseContext } from "./parse-expressions.js";
import { StatementParser } from "./parse-statements.js";
import { RECOVERED } from "./parse-block-lines.js";
import { parseTableFields } from "./parse-table.js";
import type { CaseTest, Expr, IfStmt, SelectStmt, Stmt, TableField, WithStmt } from "./syntax-tree.js";
import { spanBetween, type TokenCursor } from "./token-cursor.js";
import { describeToken, endsStatement, isPunct, isWord, type Token } from "./tokens.js";

/** Words after END that close some block (END IF inside a TABLE still repairs the structure). */
const END_WORDS = new Set(["IF", "SELECT", "FOR", "WITH", "SUB", "FUNCTION", "WHILE", "TABLE", "TALK", "MAIL", "SYSTEM"]);

/** Deepest nesting of blocks that is built into the tree. */
export const MAX_BLOCK_DEPTH = 100;

interface Frame {
  kind: FrameKind;
  token: Token;
  block: OpenBlock;
  /** Where statements go now (switches at ELSE / CASE). */
  body: Stmt[];
  // per kind
  ifStmt?: IfStmt;
  selectStmt?: SelectStmt;
  sawElse?: boolean;
  beforeFirstCase?: boolean;
  withEntries?: WithStmt["entries"];
  fields?: TableField[];
  /** A BREAK / EXIT leaves this loop. */
  exits?: boolean;
}

export function parseBlocks(cursor: TokenCursor, context: ParseContext): Stmt[] {
  return new BlockAssembler(cursor, context).run();
}

class BlockAssembler {
  private readonly root: Stmt[] = [];
  private readonly stack: Frame[] = [];
  private readonly statements: StatementParser;
  /** Blocks opened beyond MAX_BLOCK_DEPTH, counted but not built. */
  private phantom = 0;

  constructor(
    private readonly c: TokenCursor,
    private readonly context: ParseContext,
  ) {
    const stack = this.stack;
    this.statements = new StatementParser(c, context, {
      openKinds: () => stack.map((f) => f.kind),
      noteExit: (index) => {
        const frame = stack[index];
        if (frame !== undefined) frame.exits = true;
      },
    });
  }

  run(): Stmt[] {
    const c = this.c;
    for (;;) {
      c.skipSeparators();
      const t = c.peek();
      if (t.kind === "eof") break;
      const top = this.stack[this.stack.length - 1];
      // Inside WITH and TABLE only `END WITH` / `END TABLE` ends the block (a field may be named End).
      if (top?.kind === "with" && this.phantom === 0 && !this.atEnd("WITH")) this.withEntry(top);
      else if (top?.kind === "table" && this.phantom === 0 && !this.atEnd("TABLE")) this.tableField(top);
      else this.apply(this.statements.parseLine());
      if (c.peek().kind !== "eof" && c.peek().kind !== "newline" && !isPunct(c.peek(), ";")) c.skipStatement();
    }
    while (this.stack.length > 0) this.closeTop(true);
    return this.root;
  }

  /** `END word` (or `END` alone, a stray closer handled as a statement) at the cursor. */
  private atEnd(word: string): boolean {
    const c = this.c;
    if (!isWord(c.peek(), "END")) return false;
    const next = c.peek(1);
    return isWord(next, word) || endsStatement(next) || (next.kind === "identifier" && END_WORDS.has(next.upper));
  }

  private get body(): Stmt[] {
    return this.stack[this.stack.length - 1]?.body ?? this.root;
  }

  private apply(item: LineItem): void {
    if (this.phantom > 0) {
      if (item.kind === "open") this.phantom++;
      else if (item.kind === "close") this.phantom--;
      return;
    }
    switch (item.kind) {
      case "none":
        return;
      case "stmt":
        this.body.push(item.stmt);
        return;
      case "open":
        this.open(item.block, item.token);
        return;
      case "else-if":
      case "else":
        this.middleOfIf(item);
        return;
      case "case":
      case "case-else":
        this.middleOfSelect(item.token, item.kind === "case" ? item.tests : null);
        return;
      case "close":
        this.close(item);
        return;
    }
  }

  private open(block: OpenBlock, token: Token): void {
    if (this.stack.length >= MAX_BLOCK_DEPTH) {
      this.context.sink.error("nesting-too-deep", `Blocks nested more than ${MAX_BLOCK_DEPTH} levels deep`, spanOf(token));
      this.phantom = 1;
      return;
    }
    const kind: FrameKind = block.kind === "sub" ? (block.isFunction ? "function" : "sub") : block.kind;
    if ((kind === "sub" || kind === "function") && this.stack.length > 0) {
      this.context.sink.error("sub-not-top-level", `${BLOCK_NAMES[kind].open} must be declared at the top level of the script, not inside ${BLOCK_NAMES[this.stack[this.stack.length - 1]!.kind].open}`, spanOf(token));
    }
    const frame: Frame = { kind, token, block, body: [] };
    if (block.kind === "if") {
      frame.ifStmt = { kind: "if", branches: [{ condition: block.condition, body: frame.body, span: spanOf(token) }], elseBody: null, singleLine: false, span: spanOf(token) };
    } else if (block.kind === "select") {
      frame.selectStmt = { kind: "select", subject: block.subject, cases: [], elseBody: null, span: spanOf(token) };
      frame.beforeFirstCase = true;
    } else if (block.kind === "with") frame.withEntries = [];
    else if (block.kind === "table") frame.fields = [];
    this.stack.push(frame);
  }

  /** Finds the innermost frame of one of `kinds`; frames above it are closed as missing their END. */
  private reach(kinds: readonly FrameKind[]): Frame | null {
    let i = this.stack.length - 1;
    while (i >= 0 && !kinds.includes(this.stack[i]!.kind)) i--;
    if (i < 0) return null;
    while (this.stack.length - 1 > i) this.closeTop(true);
    return this.stack[i]!;
  }

  private middleOfIf(item: Extract<LineItem, { kind: "else-if" | "else" }>): void {
    const word = item.kind === "else-if" ? "ELSEIF" : "ELSE";
    const frame = this.reach(["if"]);
    if (frame === null) {
      this.context.sink.error("unmatched-end", `${word} without IF`, spanOf(item.token));
      return;
    }
    const ifStmt = frame.ifStmt!;
    if (frame.sawElse) {
      this.context.sink.error("unexpected-token", `${word} after ELSE in the same IF`, spanOf(item.token));
      return;
    }
    frame.body = [];
    if (item.kind === "else-if") {
      ifStmt.branches.push({ condition: item.condition, body: frame.body, span: spanOf(item.token) });
    } else {
      frame.sawElse = true;
      ifStmt.elseBody = frame.body;
      if (item.inline !== null) frame.body.push(item.inline);
    }
  }

  private middleOfSelect(token: Token, tests: CaseTest[] | null): void {
    const frame = this.reach(["select"]);
    if (frame === null) {
      this.context.sink.error("unmatched-end", `CASE without SELECT`, spanOf(token));
      return;
    }
    const select = frame.selectStmt!;
    if (frame.sawElse) {
      this.context.sink.error("unexpected-token", "CASE after CASE ELSE in the same SELECT", spanOf(token));
      return;
    }
    if (frame.beforeFirstCase && frame.body.length > 0) {
      this.context.sink.error("unexpected-token", "Statements between SELECT and the first CASE are not allowed", frame.body[0]!.span);
    }
    frame.beforeFirstCase = false;
    frame.body = [];
    if (tests === null) {
      frame.sawElse = true;
      select.elseBody = frame.body;
    } else select.cases.push({ tests, body: frame.body, span: spanOf(token) });
  }

  private close(item: Extract<LineItem, { kind: "close" }>): void {
    const kinds = CLOSES[item.closes];
    const frame = this.reach(kinds);
    if (frame === null) {
      const opener = kinds.map((k) => BLOCK_NAMES[k].open).join(" or ");
      this.context.sink.error("unmatched-end", `${CLOSER_NAMES[item.closes]} without ${opener}`, spanOf(item.token));
      return;
    }
    if (item.name !== null && (frame.block.kind === "for-each" || frame.block.kind === "for-to")) {
      const variable = frame.block.variable;
      if (variable !== RECOVERED && item.name.toUpperCase() !== variable.toUpperCase()) {
        this.context.sink.error("mismatched-next", `NEXT ${item.name} does not match FOR ${variable} (line ${frame.token.line})`, spanOf(item.token));
      }
    }
    if (frame.block.kind === "do" && frame.block.test !== null && item.test !== null) {
      this.context.sink.error("unexpected-token", "A DO loop has its condition either after DO or after LOOP, not both", spanOf(item.token));
    }
    this.closeTop(false, item.token, item.test);
  }

  /** Pops the innermost frame into its parent's body. */
  private closeTop(missingEnd: boolean, endToken?: Token, loopTest: { until: boolean; condition: Expr } | null = null): void {
    const frame = this.stack.pop()!;
    if (missingEnd) {
      const names = BLOCK_NAMES[frame.kind];
      this.context.sink.error("missing-end", `${names.open} without ${names.close}`, spanOf(frame.token));
    }
    const span: Span = endToken === undefined ? spanOf(frame.token) : spanBetween(frame.token, endToken);
    const stmt = this.build(frame, span, loopTest);
    if (stmt !== null) this.body.push(stmt);
  }

  private build(frame: Frame, span: Span, loopTest: { until: boolean; condition: Expr } | null): Stmt | null {
    const b = frame.block;
    switch (b.kind) {
      case "if":
        return { ...frame.ifStmt!, span };
      case "select":
        return { ...frame.selectStmt!, span };
      case "for-each":
        return { kind: "for-each", variable: b.variable, iterable: b.iterable, body: frame.body, exits: frame.exits === true, span };
      case "for-to":
        return { kind: "for-to", variable: b.variable, from: b.from, to: b.to, step: b.step, body: frame.body, span };
      case "while":
        return { kind: "while", condition: b.condition, body: frame.body, span };
      case "do": {
        const test = b.test !== null ? { position: "pre" as const, ...b.test } : loopTest !== null ? { position: "post" as const, ...loopTest } : null;
        return { kind: "do-loop", test, body: frame.body, span };
      }
      case "with":
        return { kind: "with", target: b.target, entries: frame.withEntries!, span };
      case "sub":
        return { kind: "sub", isFunction: b.isFunction, name: b.name, params: b.params, body: frame.body, span };
      case "table":
        return { kind: "table", table: { name: b.name, connection: b.connection, line: frame.token.line, fields: frame.fields! }, span };
    }
  }

  /** Inside WITH: `key = value` or `.key = value`. */
  private withEntry(frame: Frame): void {
    const c = this.c;
    const first = c.peek();
    try {
      if (isWord(first, "BEGIN")) {
        this.statements.parseLine(); // consumes the block's lines
        this.context.sink.error("invalid-with-entry", "Only `name = value` lines are allowed inside WITH", spanOf(first));
        return;
      }
      c.acceptPunct(".");
      const key = c.peek();
      if (key.kind !== "identifier" || !isPunct(c.peek(1), "=")) {
        abort("invalid-with-entry", `Expected 'name = value' inside WITH, found ${describeToken(key)}`, spanOf(key));
      }
      c.pos += 2;
      const start = c.pos;
      const value = this.statements.exprs.parseExpression();
      c.expectStatementEnd();
      if (c.pos - start > MAX_EXPRESSION_TREE_DEPTH) assertTreeDepth([value]);
      frame.withEntries!.push({ key: key.text, value, span: spanBetween(first, c.previous()) });
    } catch (e) {
      if (!(e instanceof ParseAbort)) throw e;
      this.context.sink.add(e.diagnostic);
      c.skipStatement();
    }
  }

  /** Inside TABLE: a field definition. */
  private tableField(frame: Frame): void {
    const c = this.c;
    try {
      frame.fields!.push(...parseTableFields(c));
    } catch (e) {
      if (!(e instanceof ParseAbort)) throw e;
      this.context.sink.add(e.diagnostic);
      c.skipStatement();
    }
  }
}
