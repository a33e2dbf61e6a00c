/** Limits on expression nesting, so no pass over a hostile input can overflow the call stack. */
import { abort } from "./diagnostics.js";
import type { Expr } from "./syntax-tree.js";
import { exprDepthExceeds } from "./syntax-walk.js";

/** Nesting of brackets, unary operators and keyword forms inside one expression (parser recursion). */
export const MAX_EXPRESSION_DEPTH = 100;
/** Depth of one expression's tree: long operator chains build deep trees without nesting the parser. */
export const MAX_EXPRESSION_TREE_DEPTH = 400;

/**
 * Rejects expression trees deeper than MAX_EXPRESSION_TREE_DEPTH (later passes recurse over them).
 * A tree is never deeper than its token count, so callers only check what came from that many tokens.
 */
export function assertTreeDepth(exprs: readonly Expr[]): void {
  for (const expr of exprs) {
    if (exprDepthExceeds(expr, MAX_EXPRESSION_TREE_DEPTH)) {
      abort("nesting-too-deep", `Expression too deeply nested (more than ${MAX_EXPRESSION_TREE_DEPTH} levels)`, expr.span);
    }
  }
}
