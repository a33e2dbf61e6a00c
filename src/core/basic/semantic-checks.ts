/**
 * Checks that need the whole tree: GOTO and labels; names the runtime cannot read as names (custom
 * keywords such as LIST, Rhai's reserved words) — errors, the script would not load; and every function
 * call against the runtime profile — an unknown function or an unregistered number of arguments is a
 * warning (the script loads; that call fails when it runs). Calls are also resolved here to the spelling
 * the runtime registers (`ucase(x)` → `UCASE(x)`, `JOIN(a, b)` → `join(a, b)`), since BASIC names are
 * case-insensitive and Rhai's are not.
 */
import type { DiagnosticSink, Span } from "./diagnostics.js";
import { RECOVERED } from "./parse-block-lines.js";
import { isProperName, isRhaiReserved, needsQuoting } from "./rhai-names.js";
import { stringValue } from "./string-literals.js";
import { RUNTIME } from "./runtime-profile.js";
import { forEachExpression, forEachStatement, statementExpressions } from "./syntax-walk.js";
import type { Expr, Program, Stmt, SubStmt } from "./syntax-tree.js";

const LOOPS = new Set<Stmt["kind"]>(["for-each", "for-to", "while", "do-loop"]);
const LITERALS = new Set<Expr["kind"]>(["number", "string", "bool", "unit", "template", "array"]);

export function checkProgram(program: Program, sink: DiagnosticSink): void {
  const labels = new Map<string, Extract<Stmt, { kind: "label" }>>();
  const nestedLabels: Array<Extract<Stmt, { kind: "label" }>> = [];
  const gotos: Array<{ stmt: Extract<Stmt, { kind: "goto" }>; ancestors: readonly Stmt[] }> = [];
  const params = new Set<string>();
  const procedures = new Map<string, SubStmt>();
  const signatures = new Set<string>();
  forEachStatement(program.body, (s) => {
    if (s.kind !== "sub") return;
    if (!procedures.has(s.name.toUpperCase())) procedures.set(s.name.toUpperCase(), s);
    // Rhai tells functions apart by name and number of parameters; the same pair twice does not load.
    const signature = `${s.name}/${s.params.length}`;
    if (signatures.has(signature)) sink.error("duplicate-procedure", `${s.isFunction ? "FUNCTION" : "SUB"} ${s.name} with ${s.params.length} parameter(s) is declared twice`, s.span);
    signatures.add(signature);
  });
  const calls = new CallChecker(procedures, sink);
  const visitExpression = (root: Expr) => {
    forEachExpression(root, (e) => {
      if (e.kind === "call") calls.check(e);
      else if (e.kind === "identifier" && !calls.isCallee(e)) checkName(e.name, e.span, sink);
      else if (e.kind === "binary" && (e.op === "and" || e.op === "or")) {
        checkCondition(e.left, sink);
        checkCondition(e.right, sink);
      } else if (e.kind === "map") checkKeys(e.entries.map((m) => ({ key: m.key, span: m.value.span })), sink);
      else if (e.kind === "index" && constantIndexMismatch(e.object, e.index)) {
        sink.error("constant-index", "This constant cannot be indexed by that value (a text or list takes a number, a map a text); the runtime would not load the script", e.span);
      } else if (e.kind === "member" && needsQuoting(e.name) && LITERALS.has(e.object.kind)) {
        // Written `0["LIST"]`, which Rhai rejects when it loads the script (a constant indexed by a text).
        sink.error("keyword-as-name", `.${e.name} cannot be read from a constant; the runtime would not load the script`, e.span);
      }
    });
  };
  forEachStatement(program.body, (s, ancestors) => {
    switch (s.kind) {
      case "label": {
        const key = s.name.toUpperCase();
        if (labels.has(key)) sink.error("duplicate-label", `Label ${s.name} is defined twice`, s.span);
        else labels.set(key, s);
        if (ancestors.length > 0) nestedLabels.push(s);
        return;
      }
      case "goto":
        gotos.push({ stmt: s, ancestors: [...ancestors] });
        return;
      case "for-each":
        checkName(s.variable, s.span, sink);
        checkIterable(s.iterable, sink);
        break;
      case "for-to":
        checkName(s.variable, s.span, sink);
        break;
      case "with":
        checkName(s.target, s.span, sink);
        checkKeys(s.entries, sink);
        break;
      case "sub":
        checkName(s.name, s.span, sink);
        for (const p of s.params) checkName(p, s.span, sink);
        return;
      case "param":
        // A PARAM declared twice: the last declaration is the one in the tool definition.
        if (s.param === null) return;
        if (params.has(s.param.name)) sink.warning("duplicate-param", `PARAM ${s.param.name} is declared more than once; the last declaration is used`, s.span);
        params.add(s.param.name);
        return;
      case "keyword":
        if (s.form.warning !== null) sink.warning("padded-arguments", s.form.warning, s.span);
        break;
      case "if":
        for (const b of s.branches) checkCondition(b.condition, sink);
        break;
      case "while":
        checkCondition(s.condition, sink);
        break;
      case "do-loop":
        if (s.test !== null) checkCondition(s.test.condition, sink);
        break;
      case "call-sub":
        if (s.local) calls.checkProcedureCall(s.name, s.args.length, s.span);
        else checkName(s.name, s.span, sink);
        break;
      default:
        break;
    }
    for (const e of statementExpressions(s)) visitExpression(e);
  });
  checkGoto(labels, nestedLabels, gotos, sink);
}

/** Function calls against the runtime profile and the script's own SUBs and FUNCTIONs. */
class CallChecker {
  private readonly callees = new Set<Expr>();

  constructor(
    private readonly procedures: ReadonlyMap<string, SubStmt>,
    private readonly sink: DiagnosticSink,
  ) {}

  isCallee(e: Expr): boolean {
    return this.callees.has(e);
  }

  check(call: Extract<Expr, { kind: "call" }>): void {
    const callee = call.callee;
    this.callees.add(callee);
    const count = call.args.length;
    if (callee.kind === "member") {
      // A method call: Rhai passes the object as the first argument.
      const status = RUNTIME.callStatus(callee.name, count + 1);
      if (status === "unknown") this.unknown(`.${callee.name}(…)`, callee.name, call.span);
      else if (status === "arity") this.arity(`.${callee.name}(…)`, callee.name, count + 1, call.span, " (counting the object before the dot)");
      return;
    }
    if (callee.kind !== "identifier") return;
    // `print(x)`, `type_of(x)` are reserved names that are also Rhai's own functions.
    if (!isProperName(callee.name) || (isRhaiReserved(callee.name) && RUNTIME.callStatus(callee.name, count) === "unknown")) {
      checkName(callee.name, callee.span, this.sink);
      return;
    }
    const local = this.procedures.get(callee.name.toUpperCase());
    if (local !== undefined) {
      this.checkProcedureCall(local.name, count, call.span);
      return;
    }
    // `FIND(t, f)`, `Llm(x)`: the runtime's keyword, written as its syntax when the shapes agree.
    const keyword = callee.name.toUpperCase();
    if (RUNTIME.isCustomKeyword(keyword) && RUNTIME.syntaxCall(keyword, call.args.map(() => "x")) !== null) {
      callee.name = keyword;
      return;
    }
    const resolved = RUNTIME.resolveFunction(callee.name, count);
    callee.name = resolved.name;
    if (RUNTIME.isCustomKeyword(resolved.name)) {
      if (RUNTIME.syntaxCall(resolved.name, call.args.map(() => "x")) !== null) return;
      const syntax = RUNTIME.syntax(resolved.name)!;
      this.sink.error(
        "keyword-as-name",
        `${resolved.name}(…): ${resolved.name} is a keyword of the botserver runtime (\`${syntax.pattern.replace(/\$(\w+)\$/g, "$1")}\`), not a function, so Rhai cannot read this call`,
        call.span,
      );
      return;
    }
    if (resolved.status === "unknown") this.unknown(`${callee.name}(…)`, callee.name, call.span);
    else if (resolved.status === "arity") this.arity(`${callee.name}(…)`, resolved.name, count, call.span, "");
  }

  checkProcedureCall(name: string, count: number, at: Span): void {
    const sub = this.procedures.get(name.toUpperCase());
    if (sub === undefined || sub.params.length === count) return;
    this.sink.warning(
      "function-arity",
      `${name} is declared with ${sub.params.length} parameter(s) and called with ${count}; the script loads, but this call fails when it runs`,
      at,
    );
  }

  private unknown(what: string, name: string, at: Span): void {
    this.sink.warning("unknown-function", `${what}: the botserver runtime registers no function ${name}; the script loads, but this call fails when it runs`, at);
  }

  private arity(what: string, name: string, count: number, at: Span, note: string): void {
    this.sink.warning(
      "function-arity",
      `${what}: ${name} takes ${RUNTIME.describeArity(name)} argument(s) in the botserver runtime, not ${count}${note}; the script loads, but this call fails when it runs`,
      at,
    );
  }
}

/**
 * GOTO is compiled into a state machine over the top-level statements (emit-goto.ts), so labels must be
 * at the top level and a GOTO cannot sit inside a loop (its `continue` would restart that loop) or a
 * SUB/FUNCTION (a separate Rhai function).
 */
function checkGoto(
  labels: ReadonlyMap<string, Extract<Stmt, { kind: "label" }>>,
  nestedLabels: ReadonlyArray<Extract<Stmt, { kind: "label" }>>,
  gotos: ReadonlyArray<{ stmt: Extract<Stmt, { kind: "goto" }>; ancestors: readonly Stmt[] }>,
  sink: DiagnosticSink,
): void {
  const used = new Set<string>();
  for (const { stmt, ancestors } of gotos) {
    const key = stmt.label.toUpperCase();
    used.add(key);
    if (!labels.has(key)) sink.error("undefined-label", `GOTO ${stmt.label}: no label ${stmt.label}: in this script`, stmt.labelSpan);
    if (ancestors.some((a) => LOOPS.has(a.kind))) {
      sink.error("goto-in-loop", "GOTO cannot be used inside a loop (it is compiled into a loop of its own)", stmt.span);
    } else if (ancestors.some((a) => a.kind === "sub")) {
      sink.error("goto-in-loop", "GOTO cannot be used inside a SUB or FUNCTION", stmt.span);
    }
  }
  if (gotos.length > 0) {
    for (const label of nestedLabels) sink.error("label-not-top-level", `Label ${label.name}: must be at the top level of the script to be a GOTO target`, label.span);
  }
  for (const [key, label] of labels) {
    if (!used.has(key)) sink.warning("unused-label", `Label ${label.name}: is never the target of a GOTO; it is ignored`, label.span);
  }
}

/**
 * Rhai rejects the whole script when a condition (or an operand of AND / OR) is a constant that is not a
 * boolean. Numbers are turned into true / false by the emitter (BASIC's "not zero"); the rest is an error.
 */
function checkCondition(e: Expr, sink: DiagnosticSink): void {
  let x = e;
  while (x.kind === "paren") x = x.inner;
  const what = x.kind === "string" || x.kind === "template" ? "a text" : x.kind === "array" ? "a list" : x.kind === "map" ? "a map" : x.kind === "unit" ? "NULL" : null;
  if (what !== null) sink.error("not-a-condition", `A condition must be true or false, and ${what} is neither; the runtime would not load the script`, x.span);
}

/** `"abc"["a"]`, `#{ a: 1 }[0]`: Rhai checks the index of a constant when it loads the script. */
function constantIndexMismatch(object: Expr, index: Expr): boolean {
  let o = object;
  while (o.kind === "paren") o = o.inner;
  let i = index;
  while (i.kind === "paren") i = i.inner;
  if (o.kind === "map") return i.kind === "number";
  return LITERALS.has(o.kind) && (i.kind === "string" || i.kind === "template");
}

/** FOR EACH over a constant that holds no items: Rhai rejects the script (`for x in 1`). */
function checkIterable(e: Expr, sink: DiagnosticSink): void {
  let x = e;
  while (x.kind === "paren" || (x.kind === "unary" && x.op !== "not")) x = x.kind === "paren" ? x.inner : x.operand;
  const what = x.kind === "number" ? "a number" : x.kind === "bool" ? "TRUE or FALSE" : x.kind === "map" ? "a map" : x.kind === "unit" ? "NULL" : null;
  if (what !== null) sink.error("not-iterable", `FOR EACH needs a list or a text to go through, and ${what} is neither; the runtime would not load the script`, x.span);
}

/** A variable, parameter or procedure name the runtime's parser would not read as a name. */
function checkName(name: string, at: Span, sink: DiagnosticSink): void {
  if (name === RECOVERED) return; // a block whose opening line already has its error
  if (RUNTIME.isCustomKeyword(name)) {
    sink.error("keyword-as-name", `'${name}' is a keyword of the botserver runtime, so it cannot name a variable or procedure; rename it (e.g. '${name.toLowerCase()}')`, at);
  } else if (isRhaiReserved(name)) {
    sink.error("rhai-reserved-name", `'${name}' is a reserved word in the runtime's language (Rhai), so the script would not load; rename it`, at);
  } else if (!isProperName(name)) {
    sink.error("rhai-reserved-name", `'${name}' is not a name the runtime's language (Rhai) accepts: a name needs a letter; rename it`, at);
  }
}

/** Rhai rejects a map literal that gives a key twice (`#{ a: 1, "a": 2 }`), and so a WITH block that does. */
function checkKeys(entries: ReadonlyArray<{ key: string; span: Span }>, sink: DiagnosticSink): void {
  const seen = new Set<string>();
  for (const { key, span } of entries) {
    const name = key.startsWith('"') ? stringValue({ text: key }) : key;
    if (seen.has(name)) sink.error("duplicate-key", `The key ${name} is given twice; the runtime rejects a map with a repeated key`, span);
    seen.add(name);
  }
}
