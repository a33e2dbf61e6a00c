/**
 * Statements → Rhai lines, construct by construct as §3.3 describes the botserver's output, with its
 * defects fixed (see docs/basic-compiler.md for the table of differences). Two spaces of indentation per
 * block level; every simple statement ends with `;`.
 */
import { emitConcatenation, emitExpression, emitTopExpression, renderKeywordForm } from "./emit-expressions.js";
import { quoteRhai } from "./string-literals.js";
import type { CaseTest, DoLoopStmt, Expr, ForToStmt, InterpolatedText, SelectStmt, Stmt, SubStmt } from "./syntax-tree.js";
import { forEachStatement } from "./syntax-walk.js";

export interface EmitState {
  lines: string[];
  /** The SUB/FUNCTION being emitted, if any. */
  procedure: { name: string; returnsByName: boolean } | null;
  /** GOTO targets: label (upper case) → state name; non-null in GOTO mode. */
  gotoStates: Map<string, string> | null;
}

const INDENTS: string[] = [""];
export function indent(depth: number): string {
  while (INDENTS.length <= depth) INDENTS.push(`${INDENTS[INDENTS.length - 1]}  `);
  return INDENTS[depth]!;
}

export function emitBody(body: readonly Stmt[], depth: number, state: EmitState): void {
  for (const s of body) emitStatement(s, depth, state);
}

function block(head: string, body: readonly Stmt[], depth: number, state: EmitState, tail = "}"): void {
  state.lines.push(`${indent(depth)}${head === "" ? "{" : `${head} {`}`);
  emitBody(body, depth + 1, state);
  state.lines.push(`${indent(depth)}${tail}`);
}

export function emitStatement(s: Stmt, depth: number, state: EmitState): void {
  const pad = indent(depth);
  const out = state.lines;
  switch (s.kind) {
    case "assign": {
      // §3.3 step 10: a top-level `x = …` becomes `let x = …`; inside blocks the predeclared variable is assigned.
      const implicitLet = depth === 0 && s.declare === null && s.op === "=" && s.target.kind === "identifier";
      const declare = s.declare !== null ? `${s.declare} ` : implicitLet ? "let " : "";
      out.push(pad + `${declare}${emitExpression(s.target)} ${s.op} ${emitTopExpression(s.value)};`);
      return;
    }
    case "expr":
      out.push(pad + `${emitExpression(s.expr)};`);
      return;
    case "keyword":
      out.push(pad + `${renderKeywordForm(s.form, s.args)};`);
      return;
    case "if": {
      for (let i = 0; i < s.branches.length; i++) {
        const branch = s.branches[i]!;
        out.push(`${pad}${i === 0 ? "if" : "} else if"} ${emitExpression(branch.condition)} {`);
        emitBody(branch.body, depth + 1, state);
      }
      if (s.elseBody !== null) {
        out.push(pad + "} else {");
        emitBody(s.elseBody, depth + 1, state);
      }
      out.push(pad + "}");
      return;
    }
    case "select":
      emitSelect(s, depth, state);
      return;
    case "for-each":
      // The registered syntax: FOR EACH $ident$ IN $expr$ $block$ NEXT $ident$ (§3.8).
      block(`FOR EACH ${s.variable} IN ${emitExpression(s.iterable)}`, s.body, depth, state, `} NEXT ${s.variable};`);
      return;
    case "for-to":
      block(`for ${s.variable} in ${rangeOf(s)}`, s.body, depth, state);
      return;
    case "while":
      block(`while ${emitExpression(s.condition)}`, s.body, depth, state);
      return;
    case "do-loop":
      emitDoLoop(s, depth, state);
      return;
    case "exit":
      if (s.target === "for" && s.loop === "for-each") out.push(pad + "EXIT FOR;");
      else if (s.target === "sub" || s.target === "function") out.push(pad + returnStatement(null, state));
      else out.push(pad + "break;");
      return;
    case "jump":
      out.push(pad + `${s.jump};`);
      return;
    case "return":
      out.push(pad + returnStatement(s.value, state));
      return;
    case "throw":
      out.push(pad + `throw ${emitTopExpression(s.value)};`);
      return;
    case "with": {
      const declare = depth === 0 ? "let " : "";
      const entries = s.entries.map((e) => `${e.key}: ${emitExpression(e.value)}`);
      out.push(pad + `${declare}${s.target} = ${entries.length === 0 ? "#{}" : `#{ ${entries.join(", ")} }`};`);
      return;
    }
    case "talk-block":
      for (const text of s.lines) out.push(pad + `TALK ${concatenation(text.parts)};`);
      return;
    case "mail-block": {
      const subject = s.subject === null ? '""' : concatenation(s.subject.parts);
      out.push(pad + `send_mail(${emitExpression(s.to)}, ${subject}, ${joinedLines(s.body)}, []);`);
      return;
    }
    case "system-prompt":
      out.push(pad + `SET CONTEXT "system_prompt" AS ${joinedLines(s.lines)};`);
      return;
    case "sub":
      emitProcedure(s, depth, state);
      return;
    case "call-sub":
      if (s.local) out.push(pad + `${s.name}(${s.args.map(emitExpression).join(", ")});`);
      else out.push(pad + (s.args.length === 0 ? `CALL ${s.name};` : `CALL ${s.name}(${emitTopExpression(s.args[0]!)});`));
      return;
    case "goto": {
      const target = state.gotoStates?.get(s.label.toUpperCase()) ?? s.label;
      out.push(pad + `__goto_label = ${quoteRhai(target)};`);
      out.push(pad + "continue;");
      return;
    }
    case "use-website":
      // §3.3 step 4: USE WEBSITE "url" [REFRESH "1m"] → USE_WEBSITE("url", "refresh");
      out.push(pad + `USE_WEBSITE(${emitExpression(s.url)}, ${s.refresh === null ? '"1m"' : emitExpression(s.refresh)});`);
      return;
    case "enum-suggestion":
      out.push(pad + `ADD_SUGGESTION_TEXT ${quoteRhai(s.value)} as ${quoteRhai(s.value)};`);
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

function returnStatement(value: Expr | null, state: EmitState): string {
  if (value !== null) return `return ${emitTopExpression(value)};`;
  return state.procedure?.returnsByName ? `return ${state.procedure.name};` : "return;";
}

function concatenation(parts: InterpolatedText["parts"]): string {
  return emitConcatenation(parts, quoteRhai);
}

/** Lines joined by line breaks into one Rhai string expression. */
function joinedLines(lines: readonly InterpolatedText[]): string {
  const parts: InterpolatedText["parts"] = [];
  lines.forEach((l, i) => {
    if (i > 0) parts.push({ kind: "text", text: "\n" });
    parts.push(...l.parts);
  });
  return concatenation(parts);
}

/**
 * SELECT → an if / else-if chain (§3.3 step 11) comparing the subject with each CASE value. Numbers stay
 * numbers (`CASE 1` → `x == 1`; the botserver quotes them).
 */
function emitSelect(s: SelectStmt, depth: number, state: EmitState): void {
  const pad = indent(depth);
  if (s.cases.length === 0) {
    if (s.elseBody !== null && s.elseBody.length > 0) block("", s.elseBody, depth, state);
    return;
  }
  s.cases.forEach((c, i) => {
    state.lines.push(`${pad}${i === 0 ? "if" : "} else if"} ${caseCondition(s.subject, c.tests)} {`);
    emitBody(c.body, depth + 1, state);
  });
  if (s.elseBody !== null) {
    state.lines.push(`${pad}} else {`);
    emitBody(s.elseBody, depth + 1, state);
  }
  state.lines.push(`${pad}}`);
}

/**
 * `subject == a || subject >= b && subject <= c || …`. The tests are joined as text, not as a tree:
 * `||` binds loosest in Rhai, and a CASE with thousands of values must not build a deep tree.
 */
function caseCondition(subject: Expr, tests: readonly CaseTest[]): string {
  if (tests.length === 0) return "false";
  const span = subject.span;
  const one = (t: CaseTest): Expr => {
    switch (t.kind) {
      case "value":
        return { kind: "binary", op: "eq", left: subject, right: t.value, span };
      case "is":
        return { kind: "binary", op: t.op, left: subject, right: t.value, span };
      case "range":
        return {
          kind: "binary",
          op: "and",
          left: { kind: "binary", op: "ge", left: subject, right: t.from, span },
          right: { kind: "binary", op: "le", left: subject, right: t.to, span },
          span,
        };
    }
  };
  return tests.map((t) => emitExpression(one(t))).join(" || ");
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

/** DO loops in Rhai's own syntax (step 12 lower-cases DO/LOOP, which breaks the registered forms). */
function emitDoLoop(s: DoLoopStmt, depth: number, state: EmitState): void {
  const test = s.test;
  if (test === null) return block("loop", s.body, depth, state);
  const condition = emitExpression(test.condition);
  if (test.position === "pre") {
    const negated = emitExpression({ kind: "unary", op: "not", operand: test.condition, span: test.condition.span });
    return block(`while ${test.until ? negated : condition}`, s.body, depth, state);
  }
  block("do", s.body, depth, state, `} ${test.until ? "until" : "while"} ${condition};`);
}

/** SUB/FUNCTION → `fn name(params) { … }`; its local variables are declared at its top. */
function emitProcedure(s: SubStmt, depth: number, state: EmitState): void {
  const pad = indent(depth);
  const locals = assignedNames(s.body, new Set(s.params));
  const returnsByName = s.isFunction && locals.has(s.name);
  state.lines.push(`${pad}fn ${s.name}(${s.params.join(", ")}) {`);
  for (const name of [...locals].sort()) state.lines.push(`${indent(depth + 1)}let ${name} = ();`);
  const inner: EmitState = { ...state, procedure: { name: s.name, returnsByName } };
  emitBody(s.body, depth + 1, inner);
  if (returnsByName) state.lines.push(`${indent(depth + 1)}return ${s.name};`);
  state.lines.push(`${pad}}`);
}

/**
 * Variables assigned with `name = …` anywhere in `body` (except inside SUBs), minus `exclude`: §3.3 step 9
 * predeclares them so assignments inside blocks reach the outer scope. WITH targets and HEAR variables
 * are added (the botserver misses them, so a WITH or HEAR inside a block is lost when the block ends).
 */
export function assignedNames(body: readonly Stmt[], exclude: ReadonlySet<string>): Set<string> {
  const names = new Set<string>();
  forEachStatement(body, (s, ancestors) => {
    if (ancestors.some((a) => a.kind === "sub") || s.kind === "sub") return;
    if (s.kind === "assign" && s.op === "=" && s.declare === null && s.target.kind === "identifier") names.add(s.target.name);
    else if (s.kind === "with") names.add(s.target);
    else if (s.kind === "keyword" && s.form.phrase === "HEAR" && s.args[1]?.kind === "ident") names.add(s.args[1].name);
  });
  for (const name of exclude) names.delete(name);
  return names;
}
