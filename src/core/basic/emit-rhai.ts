/**
 * The `.ast` text: Rhai source for the botserver runtime (`ScriptService::run` compiles and evaluates
 * it, §3.3). Layout, as the botserver writes it: the predeclared variables (`let x = ();`, sorted,
 * §3.3 step 9), then the statements.
 */
import { emitGotoMachine } from "./emit-goto.js";
import { assignedNames, emitBody, type EmitState } from "./emit-statements.js";
import type { Program } from "./syntax-tree.js";
import { forEachStatement } from "./syntax-walk.js";

export function emitRhai(program: Program): string {
  const lines: string[] = [];
  // PARAM values are pushed into the scope before the script runs; predeclaring them would reset them
  // to () (the botserver does, §3.3 step 9 — one of the fixed defects).
  const params = new Set<string>();
  let hasGoto = false;
  forEachStatement(program.body, (s) => {
    if (s.kind === "param" && s.param !== null) params.add(s.param.name);
    if (s.kind === "goto") hasGoto = true;
  });
  for (const name of [...assignedNames(program.body, params)].sort()) lines.push(`let ${name} = ();`);
  const state: EmitState = { lines, procedure: null, gotoStates: null };
  if (hasGoto) emitGotoMachine(program.body, state);
  else emitBody(program.body, 0, state);
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
