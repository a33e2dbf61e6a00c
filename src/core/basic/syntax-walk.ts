/**
 * Walking the syntax tree without recursion (the tree of a hostile input can be deep): the children of
 * expressions and statements, and iterative traversals over them.
 */
import type { LineItem } from "./line-items.js";
import type { Expr, InterpolatedText, Stmt } from "./syntax-tree.js";

function textExprs(texts: readonly (InterpolatedText | null)[], out: Expr[]): void {
  for (const t of texts) if (t !== null) for (const p of t.parts) if (p.kind === "expr") out.push(p.expr);
}

export function childExpressions(e: Expr): Expr[] {
  switch (e.kind) {
    case "unary":
      return [e.operand];
    case "binary":
      return [e.left, e.right];
    case "paren":
      return [e.inner];
    case "call":
      return [e.callee, ...e.args];
    case "member":
      return [e.object];
    case "index":
      return [e.object, e.index];
    case "array":
      return e.items;
    case "map":
      return e.entries.map((x) => x.value);
    case "template":
      return e.parts.flatMap((p) => (p.kind === "expr" ? [p.expr] : []));
    case "keyword":
      return e.lowered.values;
    default:
      return [];
  }
}

/** The expressions written directly in a statement (not those of nested statements). */
export function statementExpressions(s: Stmt): Expr[] {
  const out: Expr[] = [];
  switch (s.kind) {
    case "assign":
      out.push(s.target, s.value);
      break;
    case "expr":
      out.push(s.expr);
      break;
    case "keyword":
      out.push(...s.lowered.values);
      break;
    case "if":
      for (const b of s.branches) out.push(b.condition);
      break;
    case "select":
      out.push(s.subject);
      for (const c of s.cases) {
        for (const t of c.tests) {
          if (t.kind === "range") out.push(t.from, t.to);
          else out.push(t.value);
        }
      }
      break;
    case "for-each":
      out.push(s.iterable);
      break;
    case "for-to":
      out.push(s.from, s.to);
      if (s.step !== null) out.push(s.step);
      break;
    case "while":
      out.push(s.condition);
      break;
    case "do-loop":
      if (s.test !== null) out.push(s.test.condition);
      break;
    case "return":
      if (s.value !== null) out.push(s.value);
      break;
    case "throw":
      out.push(s.value);
      break;
    case "with":
      for (const e of s.entries) out.push(e.value);
      break;
    case "talk-block":
    case "system-prompt":
      textExprs(s.lines, out);
      break;
    case "mail-block":
      out.push(s.to);
      textExprs([s.subject, ...s.body], out);
      break;
    case "call-sub":
      out.push(...s.args);
      break;
    case "use-website":
      out.push(s.url);
      if (s.refresh !== null) out.push(s.refresh);
      break;
    default:
      break;
  }
  return out;
}

/** The statement lists nested in a statement. */
export function childBodies(s: Stmt): Stmt[][] {
  switch (s.kind) {
    case "if":
      return s.elseBody === null ? s.branches.map((b) => b.body) : [...s.branches.map((b) => b.body), s.elseBody];
    case "select":
      return s.elseBody === null ? s.cases.map((c) => c.body) : [...s.cases.map((c) => c.body), s.elseBody];
    case "for-each":
    case "for-to":
    case "while":
    case "do-loop":
    case "sub":
      return [s.body];
    default:
      return [];
  }
}

/**
 * Visits every statement, depth-first in source order, with the chain of enclosing statements.
 * Recursive: the parser bounds block nesting (MAX_BLOCK_DEPTH) and single-line IF nesting.
 */
export function forEachStatement(body: readonly Stmt[], visit: (s: Stmt, ancestors: readonly Stmt[]) => void, ancestors: Stmt[] = []): void {
  for (const s of body) {
    visit(s, ancestors);
    switch (s.kind) {
      case "if":
        ancestors.push(s);
        for (const b of s.branches) forEachStatement(b.body, visit, ancestors);
        if (s.elseBody !== null) forEachStatement(s.elseBody, visit, ancestors);
        ancestors.pop();
        break;
      case "select":
        ancestors.push(s);
        for (const c of s.cases) forEachStatement(c.body, visit, ancestors);
        if (s.elseBody !== null) forEachStatement(s.elseBody, visit, ancestors);
        ancestors.pop();
        break;
      case "for-each":
      case "for-to":
      case "while":
      case "do-loop":
      case "sub":
        ancestors.push(s);
        forEachStatement(s.body, visit, ancestors);
        ancestors.pop();
        break;
      default:
        break;
    }
  }
}

/** Visits `root` and its sub-expressions (recursive; expression trees are depth-checked by the parser). */
export function forEachExpression(root: Expr, visit: (e: Expr) => void): void {
  visit(root);
  switch (root.kind) {
    case "unary":
      forEachExpression(root.operand, visit);
      return;
    case "binary":
      forEachExpression(root.left, visit);
      forEachExpression(root.right, visit);
      return;
    case "paren":
      forEachExpression(root.inner, visit);
      return;
    case "call":
      forEachExpression(root.callee, visit);
      for (const a of root.args) forEachExpression(a, visit);
      return;
    case "member":
      forEachExpression(root.object, visit);
      return;
    case "index":
      forEachExpression(root.object, visit);
      forEachExpression(root.index, visit);
      return;
    case "array":
      for (const a of root.items) forEachExpression(a, visit);
      return;
    case "map":
      for (const m of root.entries) forEachExpression(m.value, visit);
      return;
    case "template":
      for (const p of root.parts) if (p.kind === "expr") forEachExpression(p.expr, visit);
      return;
    case "keyword":
      for (const v of root.lowered.values) forEachExpression(v, visit);
      return;
    default:
      return;
  }
}

/** True when the tree under `root` is deeper than `limit`. */
export function exprDepthExceeds(root: Expr, limit: number): boolean {
  const stack: Array<[Expr, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [e, depth] = stack.pop()!;
    if (depth > limit) return true;
    for (const child of childExpressions(e)) stack.push([child, depth + 1]);
  }
  return false;
}

/** The expressions of one parsed line (for the depth check right after parsing it). */
export function lineItemExpressions(item: LineItem): Expr[] {
  switch (item.kind) {
    case "stmt": {
      const out: Expr[] = [];
      forEachStatement([item.stmt], (s) => out.push(...statementExpressions(s)));
      return out;
    }
    case "open": {
      const b = item.block;
      switch (b.kind) {
        case "if":
        case "while":
          return [b.condition];
        case "select":
          return [b.subject];
        case "for-each":
          return [b.iterable];
        case "for-to":
          return b.step === null ? [b.from, b.to] : [b.from, b.to, b.step];
        case "do":
          return b.test === null ? [] : [b.test.condition];
        default:
          return [];
      }
    }
    case "else-if":
      return [item.condition];
    case "case":
      return item.tests.flatMap((t) => (t.kind === "range" ? [t.from, t.to] : [t.value]));
    case "close":
      return item.test === null ? [] : [item.test.condition];
    default:
      return [];
  }
}
