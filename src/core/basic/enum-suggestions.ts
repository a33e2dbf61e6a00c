/**
 * As the botserver's compiler does: for each PARAM with `ENUM [...]`, an `ADD SUGGESTION TEXT "v" AS "v"` line is inserted right
 * after the first DESCRIPTION line, or at the end of the script when there is none.
 */
import type { Stmt } from "./syntax-tree.js";
import { childBodies, forEachStatement } from "./syntax-walk.js";

export function insertEnumSuggestions(body: Stmt[]): void {
  const suggestions: Stmt[] = [];
  forEachStatement(body, (s) => {
    if (s.kind === "param" && s.param?.enumValues) {
      for (const value of s.param.enumValues) suggestions.push({ kind: "enum-suggestion", value, span: s.span });
    }
  });
  if (suggestions.length === 0) return;
  const at = findFirst(body, (s) => s.kind === "description");
  if (at === null) body.push(...suggestions);
  else at.list.splice(at.index + 1, 0, ...suggestions);
}

/** The first statement (in source order) matching `test`, with the list that holds it. */
function findFirst(body: Stmt[], test: (s: Stmt) => boolean): { list: Stmt[]; index: number } | null {
  const stack: Array<{ list: Stmt[]; index: number }> = [{ list: body, index: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.index >= top.list.length) {
      stack.pop();
      continue;
    }
    const index = top.index++;
    const s = top.list[index]!;
    if (test(s)) return { list: top.list, index };
    const bodies = childBodies(s);
    for (let i = bodies.length - 1; i >= 0; i--) stack.push({ list: bodies[i]!, index: 0 });
  }
  return null;
}
