/**
 * Checks that need the whole tree: GOTO and labels, and warnings for keyword forms that the botserver
 * runtime cannot execute (keyword-forms.ts `warning`).
 */
import type { DiagnosticSink, Span } from "./diagnostics.js";
import type { KeywordForm } from "./keyword-forms.js";
import { forEachExpression, forEachStatement, statementExpressions } from "./syntax-walk.js";
import type { Expr, Program, Stmt } from "./syntax-tree.js";

const LOOPS = new Set<Stmt["kind"]>(["for-each", "for-to", "while", "do-loop"]);

export function checkProgram(program: Program, sink: DiagnosticSink): void {
  const labels = new Map<string, Extract<Stmt, { kind: "label" }>>();
  const nestedLabels: Array<Extract<Stmt, { kind: "label" }>> = [];
  const gotos: Array<{ stmt: Extract<Stmt, { kind: "goto" }>; ancestors: readonly Stmt[] }> = [];
  const params = new Set<string>();
  const onErrorTargets = new Set<string>();
  const warnForm = (e: Expr) => {
    if (e.kind === "keyword" && e.form.warning !== null) sink.warning(warningCode(e.form), e.form.warning, e.span);
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
      case "assign":
        if (s.target.kind === "identifier") checkName(s.target.name, s.target.span, sink);
        for (const e of statementExpressions(s)) forEachExpression(e, warnForm);
        return;
      case "for-each":
      case "for-to":
      case "with":
        checkName(s.kind === "with" ? s.target : s.variable, s.span, sink);
        for (const e of statementExpressions(s)) forEachExpression(e, warnForm);
        return;
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
        if (s.form.id === "ON ERROR GOTO $ident" && s.args[3]?.kind === "ident") onErrorTargets.add(s.args[3].name.toUpperCase());
        if (s.form.warning !== null) sink.warning(warningCode(s.form), s.form.warning, s.span);
        for (const a of s.args) if (a.kind === "expr") forEachExpression(a.expr, warnForm);
        return;
      default:
        for (const e of statementExpressions(s)) forEachExpression(e, warnForm);
    }
  });
  checkGoto(labels, nestedLabels, gotos, onErrorTargets, sink);
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
  onErrorTargets: ReadonlySet<string>,
  sink: DiagnosticSink,
): void {
  const used = new Set<string>(onErrorTargets);
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
 * Rhai keywords and reserved words: a variable or function with one of these names (in this case) makes
 * the whole `.ast` fail to compile in the runtime. Identifiers keep their case, so `Loop` is fine.
 */
const RHAI_RESERVED = new Set([
  "as", "async", "await", "break", "case", "catch", "const", "continue", "default", "do", "else", "export", "false", "fn",
  "for", "global", "go", "goto", "if", "import", "in", "let", "loop", "match", "module", "new", "nil", "null", "package",
  "private", "protected", "public", "return", "shared", "spawn", "static", "super", "switch", "sync", "this", "thread",
  "throw", "true", "try", "until", "use", "var", "void", "while", "with", "yield",
]);

function checkName(name: string, at: Span, sink: DiagnosticSink): void {
  if (RHAI_RESERVED.has(name)) sink.warning("rhai-reserved-name", `'${name}' is a reserved word in Rhai; the runtime will reject the script — rename it`, at);
}

function warningCode(form: KeywordForm): "unregistered-function" | "unregistered-keyword" {
  return form.emit.kind === "call" && !form.emit.registered ? "unregistered-function" : "unregistered-keyword";
}
