/**
 * How deep the runtime's parser goes on what we emit. Rhai (release build, as the botserver runs it)
 * stops with "Expression exceeds maximum complexity" past 64 levels at the top of a script and 32 inside
 * a function, and it counts more than brackets: every operator of a chain (`a + b + c …`), every block,
 * every custom syntax. A script beyond that does not load, so the emitter checks each statement it
 * writes against this model and the compile fails instead.
 *
 * The model is measured, not derived: each cost below was fitted against the runtime's engine
 * (rhaicheck) at the point where it starts to reject, and rounded so that the model never accepts what
 * the engine rejects (a test checks that on generated nestings). It may reject a few levels early.
 */
import { RUNTIME } from "./runtime-profile.js";
import type { Expr } from "./syntax-tree.js";
import { childExpressions } from "./syntax-walk.js";

/** Rhai's `max_expr_depth` and `max_function_expr_depth` in release builds. */
export const TOP_LEVEL_BUDGET = 64;
export const FUNCTION_BUDGET = 32;

export const COST = {
  /** A function body starts one level deeper than the script's top level. */
  functionBody: 1,
  /** `if`, `while`, `for`, `loop`, `do` blocks. */
  block: 3,
  /** The FOR EACH custom syntax block. */
  forEachBlock: 5,
  /** Each `else if` of a chain nests once more. */
  elseIf: 1,
  /** `let x = e;`, `x = e;`, `e;`, and the head of `if e {`, `while e {`, `for v in e {`. */
  statement: 2,
  /** A custom syntax statement (`TALK e;`): its `$expr$` parts sit two levels deeper than `let`'s. */
  syntaxStatement: 4,
  /** Kept free at every statement: the fitted costs are exact for each construct alone, not in all mixes. */
  margin: 2,
} as const;

/** Binary operators of the maximal operator subtree at `e` (Rhai's level grows by one per operator). */
function operatorCount(e: Expr, leaves: Expr[]): number {
  let count = 0;
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.kind === "binary") {
      count++;
      stack.push(x.left, x.right);
    } else leaves.push(x);
  }
  return count;
}

/** Levels the parser needs for an expression (a bare name or literal is 1). */
export function exprCost(e: Expr): number {
  switch (e.kind) {
    case "number":
    case "string":
    case "bool":
    case "unit":
    case "identifier":
    case "error":
      return 1;
    case "binary": {
      const leaves: Expr[] = [];
      const ops = operatorCount(e, leaves);
      let max = 0;
      for (const leaf of leaves) max = Math.max(max, exprCost(leaf));
      return ops + max;
    }
    case "unary":
      // `-(a + b)`: the emitter adds parentheses around a binary operand.
      return 1 + (e.operand.kind === "binary" ? 2 : 0) + exprCost(e.operand);
    case "paren":
      return 2 + exprCost(e.inner);
    case "call":
    case "member":
    case "index":
      return postfixCost(e);
    case "array":
    case "map":
      return 3 + maxCost(childExpressions(e));
    case "template":
      return 2 + maxCost(childExpressions(e));
    case "keyword": {
      const values = maxCost(e.lowered.values) + (e.lowered.template.adjacentValues ? COST.block : 0);
      // A function-call lowering is a call; a custom syntax is written in parentheses.
      return e.lowered.template.statements[0]?.kind === "call" ? 2 + values : 4 + values;
    }
  }
}

/**
 * `f(a)`: two levels plus the deepest argument. `a.b[c].d(e)`: one level per postfix step on top of the
 * base, plus the deepest index or argument.
 */
function postfixCost(e: Expr): number {
  if (e.kind === "call" && e.callee.kind === "identifier") {
    // `LLM(x)`, `FIND(a, b)` are written as the custom syntax itself (emit-expressions.ts).
    return (RUNTIME.isCustomKeyword(e.callee.name) ? 4 : 2) + maxCost(e.args);
  }
  let steps = 0;
  let inner = 0;
  let base: Expr = e;
  for (;;) {
    if (base.kind === "call") {
      steps++;
      inner = Math.max(inner, 1 + maxCost(base.args));
      base = base.callee;
    } else if (base.kind === "member") {
      steps++;
      base = base.object;
    } else if (base.kind === "index") {
      steps++;
      inner = Math.max(inner, 1 + exprCost(base.index));
      base = base.object;
    } else break;
  }
  return exprCost(base) + steps + inner;
}

function maxCost(list: readonly Expr[]): number {
  let max = 0;
  for (const e of list) max = Math.max(max, exprCost(e));
  return max;
}
