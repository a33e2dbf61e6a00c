/**
 * Statements → Rhai lines, in the layout of the botserver's own compiler where that output loads, with its
 * defects fixed (docs/basic-compiler.md lists the differences). Two spaces of indentation per block
 * level; every simple statement ends with `;`.
 */
import { concatenationExpr, emitCondition, emitExpression, emitTopExpression, literalTruth, renderLowered } from "./emit-expressions.js";
import { needsQuoting } from "./rhai-names.js";
import type { Span } from "./diagnostics.js";
import { COST, exprCost, FUNCTION_BUDGET, TOP_LEVEL_BUDGET } from "./rhai-depth.js";
import { quoteRhai } from "./string-literals.js";
import type { CaseTest, DoLoopStmt, Expr, ForToStmt, InterpolatedText, Lowered, SelectStmt, Stmt, SubStmt } from "./syntax-tree.js";
import { forEachExpression, forEachStatement } from "./syntax-walk.js";
import { RUNTIME } from "./runtime-profile.js";

export interface EmitState {
  lines: string[];
  /** The SUB/FUNCTION being emitted, if any. */
  procedure: { name: string; returnsByName: boolean } | null;
  /** GOTO targets: label (upper case) → state name; non-null in GOTO mode. */
  gotoStates: Map<string, string> | null;
  /** Parser levels the runtime's engine has used at this point (rhai-depth.ts) and may use in all. */
  level: number;
  budget: number;
  /** Statements the runtime's parser would reject as too deep: the compile fails with these. */
  tooDeep: Span[];
  /** Names of the flags of flattened IF/SELECT chains. */
  flags: { next: number };
  /** After ON ERROR RESUME NEXT: each simple statement is wrapped in `try { … } catch { }`. */
  resumeNext: boolean;
}

export function newEmitState(lines: string[]): EmitState {
  return { lines, procedure: null, gotoStates: null, level: 0, budget: TOP_LEVEL_BUDGET, tooDeep: [], flags: { next: 1 }, resumeNext: false };
}

const INDENTS: string[] = [""];
export function indent(depth: number): string {
  while (INDENTS.length <= depth) INDENTS.push(`${INDENTS[INDENTS.length - 1]}  `);
  return INDENTS[depth]!;
}

export function emitBody(body: readonly Stmt[], depth: number, state: EmitState): void {
  for (const s of body) emitStatement(s, depth, state);
}

/** Records a statement whose expressions need more levels than the runtime's parser allows. */
function checkDepth(state: EmitState, span: Span, base: number, costs: readonly number[]): void {
  let max = 0;
  for (const c of costs) max = Math.max(max, c);
  if (state.level + base + max + COST.margin > state.budget && !state.tooDeep.includes(span)) state.tooDeep.push(span);
}

/** Runs `emit` with the body `extra` levels deeper. */
function deeper(state: EmitState, extra: number, emit: () => void): void {
  state.level += extra;
  try {
    emit();
  } finally {
    state.level -= extra;
  }
}

function block(head: string, body: readonly Stmt[], depth: number, state: EmitState, tail = "}", extra: number = COST.block): void {
  state.lines.push(`${indent(depth)}${head === "" ? "{" : `${head} {`}`);
  deeper(state, extra, () => emitBody(body, depth + 1, state));
  state.lines.push(`${indent(depth)}${tail}`);
}

/** Statements ON ERROR RESUME NEXT protects one by one (not blocks, not jumps). */
const GUARDED = new Set<Stmt["kind"]>(["assign", "expr", "keyword", "call-sub", "talk-block", "mail-block", "with", "use-website"]);

export function emitStatement(s: Stmt, depth: number, state: EmitState): void {
  // An explicit LET / CONST stays outside: its variable would end with the try's block.
  if (!state.resumeNext || !GUARDED.has(s.kind) || (s.kind === "assign" && s.declare !== null)) return emitPlain(s, depth, state);
  // `try { … } catch { }` around the statement: an error skips to the next statement, as in BASIC.
  const lines: string[] = [];
  deeper(state, COST.block, () => emitPlain(s, depth, { ...state, lines }));
  const pad = indent(depth);
  for (const line of lines) state.lines.push(`${pad}try { ${line.slice(pad.length)} } catch { }`);
}

function emitPlain(s: Stmt, depth: number, state: EmitState): void {
  const pad = indent(depth);
  const out = state.lines;
  switch (s.kind) {
    case "assign": {
      // A top-level `x = …` becomes `let x = …`; inside blocks the predeclared variable is assigned.
      // Inside try (ON ERROR RESUME NEXT) a `let` would end with the try's block: the variable is predeclared.
      const implicitLet = depth === 0 && !state.resumeNext && s.declare === null && s.op === "=" && s.target.kind === "identifier";
      const declare = s.declare !== null ? `${s.declare} ` : implicitLet ? "let " : "";
      // Assigning a value that holds a custom syntax to an existing variable (`x = THINK KB q`) is
      // rejected by the engine for some keywords ("Cannot assign to constant x"); a block value is not.
      const asBlock = declare === "" && s.target.kind === "identifier" && holdsCustomSyntax(s.value);
      checkDepth(state, s.span, COST.statement + (asBlock ? COST.block : 0), [exprCost(s.target), exprCost(s.value)]);
      const value = emitTopExpression(s.value);
      out.push(pad + `${declare}${emitExpression(s.target)} ${s.op} ${asBlock ? `{ ${value} }` : value};`);
      return;
    }
    case "expr":
      checkDepth(state, s.span, COST.statement, [exprCost(s.expr)]);
      out.push(pad + `${emitExpression(s.expr)};`);
      return;
    case "keyword": {
      const statements = s.lowered.template.statements;
      const base = statements.some((t) => t.kind === "syntax") ? COST.syntaxStatement : COST.statement;
      const extra = (statements[0]?.kind === "call" ? 2 : 0) + (s.lowered.template.adjacentValues ? COST.block : 0);
      checkDepth(state, s.span, base + extra, s.lowered.values.map(exprCost));
      // `list += [THINK KB q]`: the value as a block, as for an assignment (see "assign").
      const rhai = statements.some((st) => st.kind === "rhai") && s.lowered.values.slice(1).some(holdsCustomSyntax);
      for (const line of renderLowered(s.lowered, rhai)) out.push(`${pad}${line};`);
      return;
    }
    case "if":
      emitBranches(
        s.branches.map((b) => ({ condition: b.condition, body: b.body, span: b.span })),
        s.elseBody,
        depth,
        state,
      );
      return;
    case "select":
      emitSelect(s, depth, state);
      return;
    case "for-each":
      checkDepth(state, s.span, s.exits ? COST.statement : COST.syntaxStatement, [exprCost(s.iterable)]);
      // The syntax in force, FOR EACH $ident$ IN $expr$ $block$ NEXT $ident$ — unless a BREAK or EXIT
      // leaves the loop: its block is not a loop to Rhai, so `break` needs Rhai's own `for`.
      if (s.exits) block(`for ${s.variable} in ${emitExpression(s.iterable)}`, s.body, depth, state);
      else block(`FOR EACH ${s.variable} IN ${emitExpression(s.iterable)}`, s.body, depth, state, `} NEXT ${s.variable};`, COST.forEachBlock);
      return;
    case "for-to":
      checkDepth(state, s.span, COST.statement, [rangeCost(s)]);
      block(`for ${s.variable} in ${rangeOf(s)}`, s.body, depth, state);
      return;
    case "while":
      checkDepth(state, s.span, COST.statement, [exprCost(s.condition)]);
      block(`while ${emitCondition(s.condition)}`, s.body, depth, state);
      return;
    case "do-loop":
      if (s.test !== null) checkDepth(state, s.span, COST.statement, [exprCost(s.test.condition) + 3]);
      emitDoLoop(s, depth, state);
      return;
    case "exit":
      out.push(pad + (s.target === "sub" || s.target === "function" ? returnStatement(null, state) : "break;"));
      return;
    case "jump":
      out.push(pad + `${s.jump};`);
      return;
    case "return":
      if (s.value !== null) checkDepth(state, s.span, COST.statement, [exprCost(s.value)]);
      out.push(pad + returnStatement(s.value, state));
      return;
    case "throw":
      checkDepth(state, s.span, COST.statement, [exprCost(s.value)]);
      out.push(pad + `throw ${emitTopExpression(s.value)};`);
      return;
    case "with": {
      const declare = depth === 0 && !state.resumeNext ? "let " : "";
      checkDepth(state, s.span, COST.statement + 3, s.entries.map((e) => exprCost(e.value)));
      const entries = s.entries.map((e) => `${needsQuoting(e.key) ? quoteRhai(e.key) : e.key}: ${emitExpression(e.value)}`);
      out.push(pad + `${declare}${s.target} = ${entries.length === 0 ? "#{}" : `#{ ${entries.join(", ")} }`};`);
      return;
    }
    case "talk-block":
      for (const text of s.lines) {
        const line = concatenationExpr(text.parts, text.span);
        checkDepth(state, text.span, COST.syntaxStatement, [exprCost(line)]);
        out.push(pad + `TALK ${emitTopExpression(line)};`);
      }
      return;
    case "mail-block": {
      const subject = s.subject === null ? concatenationExpr([], s.span) : concatenationExpr(s.subject.parts, s.subject.span);
      const body = joinedLines(s.body, s.span);
      checkDepth(state, s.span, COST.statement + 2, [exprCost(s.to), exprCost(subject), exprCost(body)]);
      out.push(pad + `send_mail(${emitExpression(s.to)}, ${emitExpression(subject)}, ${emitExpression(body)}, []);`);
      return;
    }
    case "system-prompt":
      // Never reached: the parser reports that the runtime cannot set a system prompt (an error).
      return;
    case "sub":
      emitProcedure(s, depth, state);
      return;
    case "call-sub":
      checkDepth(state, s.span, COST.statement + 2, s.args.map(exprCost));
      // The runtime's only CALL is `CALL $ident$` (the parser rejects arguments to another script).
      out.push(pad + (s.local ? `${s.name}(${s.args.map(emitExpression).join(", ")});` : `CALL ${s.name};`));
      return;
    case "goto": {
      const target = state.gotoStates?.get(s.label.toUpperCase()) ?? s.label;
      out.push(pad + `__goto_label = ${quoteRhai(target)};`);
      out.push(pad + "continue;");
      return;
    }
    case "use-website":
      // USE WEBSITE "url" [REFRESH "1m"] → USE_WEBSITE("url", "refresh"), as the botserver's compiler writes it.
      checkDepth(state, s.span, COST.statement + 2, [exprCost(s.url), s.refresh === null ? 1 : exprCost(s.refresh)]);
      out.push(pad + `USE_WEBSITE(${emitExpression(s.url)}, ${s.refresh === null ? '"1m"' : emitExpression(s.refresh)});`);
      return;
    case "enum-suggestion":
      out.push(pad + `ADD_SUGGESTION_TEXT ${quoteRhai(s.value)} as ${quoteRhai(s.value)};`);
      return;
    case "on-error":
      state.resumeNext = s.resumeNext;
      return;
    // Compile-time only: nothing in the .ast.
    case "label":
    case "param":
    case "description":
    case "set-schedule":
    case "webhook":
    case "table":
      return;
  }
}

/** The expression holds a custom syntax: a keyword form written as syntax, or a keyword called as one. */
function holdsCustomSyntax(e: Expr): boolean {
  let found = false;
  forEachExpression(e, (x) => {
    if (x.kind === "keyword" && x.lowered.template.statements.some((st) => st.kind === "syntax")) found = true;
    else if (x.kind === "call" && x.callee.kind === "identifier" && RUNTIME.isCustomKeyword(x.callee.name)) found = true;
  });
  return found;
}

function returnStatement(value: Expr | null, state: EmitState): string {
  if (value !== null) return `return ${emitTopExpression(value)};`;
  return state.procedure?.returnsByName ? `return ${state.procedure.name};` : "return;";
}

/** Lines joined by line breaks into one Rhai string expression. */
function joinedLines(lines: readonly InterpolatedText[], span: Span): Expr {
  const parts: InterpolatedText["parts"] = [];
  lines.forEach((l, i) => {
    if (i > 0) parts.push({ kind: "text", text: "\n" });
    parts.push(...l.parts);
  });
  return concatenationExpr(parts, span);
}

/** Past this many branches an else-if chain is written as flat IFs (each `else if` nests one level). */
const MAX_CHAINED_BRANCHES = 16;

/**
 * An IF / ELSEIF / ELSE chain (and a SELECT's cases). Short chains are `if … } else if … {`; a long one
 * would nest too deep for the runtime's parser, so it becomes flat IFs guarded by a flag:
 *   let __branch_1 = false;  if c1 { __branch_1 = true; … }  if !__branch_1 && (c2) { __branch_1 = true; … } …
 * The conditions are still tested in order and only until one holds, as in the chain.
 */
function emitBranches(branches: ReadonlyArray<{ condition: Expr; body: Stmt[]; span: Span }>, elseBody: readonly Stmt[] | null, depth: number, state: EmitState): void {
  const pad = indent(depth);
  const out = state.lines;
  if (branches.length <= MAX_CHAINED_BRANCHES) {
    branches.forEach((b, i) => {
      // Each `else if` sits one level deeper than the one before it.
      deeper(state, i * COST.elseIf, () => {
        checkDepth(state, b.span, COST.statement, [exprCost(b.condition)]);
        out.push(`${pad}${i === 0 ? "if" : "} else if"} ${emitCondition(b.condition)} {`);
        deeper(state, COST.block, () => emitBody(b.body, depth + 1, state));
      });
    });
    if (elseBody !== null) {
      out.push(pad + "} else {");
      deeper(state, (branches.length - 1) * COST.elseIf + COST.block, () => emitBody(elseBody, depth + 1, state));
    }
    out.push(pad + "}");
    return;
  }
  const flag = `__branch_${state.flags.next++}`;
  out.push(`${pad}let ${flag} = false;`);
  branches.forEach((b, i) => {
    checkDepth(state, b.span, COST.statement + 4, [exprCost(b.condition)]);
    const condition = i === 0 ? emitCondition(b.condition) : `!${flag} && (${literalTruth(b.condition) ?? emitTopExpression(b.condition)})`;
    out.push(`${pad}if ${condition} {`);
    out.push(`${indent(depth + 1)}${flag} = true;`);
    deeper(state, COST.block, () => emitBody(b.body, depth + 1, state));
    out.push(`${pad}}`);
  });
  if (elseBody !== null) block(`if !${flag}`, elseBody, depth, state);
}

/**
 * SELECT → an if / else-if chain comparing the subject with each CASE value. Numbers stay numbers
 * (`CASE 1` → `x == 1`; the botserver's compiler quotes them).
 */
function emitSelect(s: SelectStmt, depth: number, state: EmitState): void {
  if (s.cases.length === 0) {
    if (s.elseBody !== null && s.elseBody.length > 0) block("", s.elseBody, depth, state);
    return;
  }
  emitBranches(
    s.cases.map((c) => ({ condition: caseCondition(s.subject, c.tests, c.span), body: c.body, span: c.span })),
    s.elseBody,
    depth,
    state,
  );
}

/** More CASE values than this are tested with one `subject in [a, b, …]` (a chain of `||` nests too deep). */
const MAX_CHAINED_VALUES = 4;

/** `subject == a || subject >= b && subject <= c || …`, or `subject in [a, b, c, …]` for many values. */
function caseCondition(subject: Expr, tests: readonly CaseTest[], span: Span): Expr {
  const values = tests.filter((t): t is Extract<CaseTest, { kind: "value" }> => t.kind === "value");
  const inList = values.length > MAX_CHAINED_VALUES;
  const terms: Expr[] = [];
  if (inList) terms.push({ kind: "binary", op: "in", left: subject, right: { kind: "array", items: values.map((v) => v.value), span }, span });
  for (const t of tests) {
    if (t.kind === "value" && inList) continue;
    if (t.kind === "value") terms.push({ kind: "binary", op: "eq", left: subject, right: t.value, span });
    else if (t.kind === "is") terms.push({ kind: "binary", op: t.op, left: subject, right: t.value, span });
    else {
      const ge: Expr = { kind: "binary", op: "ge", left: subject, right: t.from, span };
      const le: Expr = { kind: "binary", op: "le", left: subject, right: t.to, span };
      terms.push({ kind: "binary", op: "and", left: ge, right: le, span });
    }
  }
  if (terms.length === 0) return { kind: "bool", value: false, span };
  // Too many ranges for one expression: the depth check will report it; keep the tree shallow.
  const kept = terms.length > 2 * TOP_LEVEL_BUDGET ? terms.slice(0, 2 * TOP_LEVEL_BUDGET) : terms;
  return kept.slice(1).reduce<Expr>((left, right) => ({ kind: "binary", op: "or", left, right, span }), kept[0]!);
}

/** FOR i = a TO b [STEP s] → `range(a, b ± 1[, s])` (Rhai ranges exclude their end). */
function rangeOf(s: ForToStmt): string {
  const from = emitExpression(s.from);
  const stepSign = s.step === null ? 1 : literalSign(s.step);
  const end = (delta: 1 | -1) => {
    const literal = integerLiteral(s.to);
    if (literal !== null) return String(literal + delta);
    const op = delta === 1 ? "add" : "sub";
    return emitExpression({ kind: "binary", op, left: s.to, right: { kind: "number", raw: "1", span: s.to.span }, span: s.to.span });
  };
  if (s.step === null) return `range(${from}, ${end(1)})`;
  const step = emitExpression(s.step);
  if (stepSign !== null) return `range(${from}, ${end(stepSign)}, ${step})`;
  return `range(${from}, if ${step} > 0 { ${end(1)} } else { ${end(-1)} }, ${step})`;
}

function integerLiteral(e: Expr): number | null {
  if (e.kind === "number" && /^[0-9]+$/.test(e.raw)) return Number(e.raw);
  if (e.kind === "unary" && e.op === "neg" && e.operand.kind === "number" && /^[0-9]+$/.test(e.operand.raw)) return -Number(e.operand.raw);
  return null;
}

function literalSign(e: Expr): 1 | -1 | null {
  if (e.kind === "number") return 1;
  if (e.kind === "unary" && e.operand.kind === "number") return e.op === "neg" ? -1 : 1;
  return null;
}

/** Levels of `range(a, b + 1, s)` (a computed step adds an `if` expression). */
function rangeCost(s: ForToStmt): number {
  const step = s.step === null ? 0 : exprCost(s.step) + (literalSign(s.step) === null ? 5 : 0);
  return 2 + Math.max(exprCost(s.from), exprCost(s.to) + 1, step);
}

/** DO loops in Rhai's own loops (the runtime's DO syntax is `DO $block$ LOOP UNTIL $expr$` only). */
function emitDoLoop(s: DoLoopStmt, depth: number, state: EmitState): void {
  const test = s.test;
  if (test === null) return block("loop", s.body, depth, state);
  const condition = emitCondition(test.condition);
  if (test.position === "pre") {
    const truth = literalTruth(test.condition);
    const negated = truth !== null ? String(!truth) : emitExpression({ kind: "unary", op: "not", operand: test.condition, span: test.condition.span });
    return block(`while ${test.until ? negated : condition}`, s.body, depth, state);
  }
  block("do", s.body, depth, state, `} ${test.until ? "until" : "while"} ${condition};`);
}

/**
 * SUB/FUNCTION → `fn name(params) { … }`; its local variables are declared at its top. A function body
 * has its own, smaller depth budget in the runtime's parser.
 */
function emitProcedure(s: SubStmt, depth: number, state: EmitState): void {
  const pad = indent(depth);
  const locals = assignedNames(s.body, new Set(s.params));
  const returnsByName = s.isFunction && locals.has(s.name);
  state.lines.push(`${pad}fn ${s.name}(${s.params.join(", ")}) {`);
  for (const name of [...locals].sort()) state.lines.push(`${indent(depth + 1)}let ${name} = ();`);
  // A SUB has its own error handling, as in BASIC: it starts without ON ERROR RESUME NEXT.
  const inner: EmitState = { ...state, procedure: { name: s.name, returnsByName }, level: COST.functionBody, budget: FUNCTION_BUDGET, resumeNext: false };
  emitBody(s.body, depth + 1, inner);
  if (returnsByName) state.lines.push(`${indent(depth + 1)}return ${s.name};`);
  state.lines.push(`${pad}}`);
}

/** The variables a lowered form's HEAR statements fill. */
function heardNames(lowered: Lowered): string[] {
  const out: string[] = [];
  for (const st of lowered.template.statements) {
    const [kw, arg] = st.tokens;
    if (kw?.kind === "ident" && kw.text === "HEAR" && arg?.kind === "arg") {
      const value = lowered.values[arg.index - 1];
      if (value?.kind === "identifier") out.push(value.name);
    }
  }
  return out;
}

/**
 * Variables assigned with `name = …` anywhere in `body` (except inside SUBs), minus `exclude`: they are
 * predeclared (as the botserver does) so assignments inside blocks reach the outer scope. WITH targets
 * and HEAR variables are added (the botserver misses them, so a WITH or HEAR inside a block is lost when
 * the block ends).
 */
export function assignedNames(body: readonly Stmt[], exclude: ReadonlySet<string>): Set<string> {
  const names = new Set<string>();
  forEachStatement(body, (s, ancestors) => {
    if (ancestors.some((a) => a.kind === "sub") || s.kind === "sub") return;
    if (s.kind === "assign" && s.op === "=" && s.declare === null && s.target.kind === "identifier") names.add(s.target.name);
    else if (s.kind === "with") names.add(s.target);
    else if (s.kind === "keyword") for (const name of heardNames(s.lowered)) names.add(name);
  });
  for (const name of exclude) names.delete(name);
  return names;
}
