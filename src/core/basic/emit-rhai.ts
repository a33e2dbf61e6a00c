/**
 * The `.ast` text: Rhai source for the botserver runtime (it compiles and evaluates it). Layout, as the
 * botserver's own compiler writes it: the predeclared variables (`let x = ();`, sorted), then the
 * statements.
 */
import { emitGotoMachine } from "./emit-goto.js";
import type { Span } from "./diagnostics.js";
import { assignedNames, emitBody, newEmitState } from "./emit-statements.js";
import type { Program } from "./syntax-tree.js";
import { forEachStatement } from "./syntax-walk.js";

/** The `.ast` text, and the statements too deep for the runtime's parser (then the text must not be written). */
export function emitRhai(program: Program): { text: string; tooDeep: Span[] } {
  const lines: string[] = [];
  // PARAM values are pushed into the scope before the script runs; predeclaring them would reset them
  // to () (the botserver's compiler does — one of the fixed defects).
  const params = new Set<string>();
  let hasGoto = false;
  forEachStatement(program.body, (s) => {
    if (s.kind === "param" && s.param !== null) params.add(s.param.name);
    if (s.kind === "goto") hasGoto = true;
  });
  for (const name of [...assignedNames(program.body, params)].sort()) lines.push(`let ${name} = ();`);
  const state = newEmitState(lines);
  if (hasGoto) emitGotoMachine(program.body, state);
  else emitBody(program.body, 0, state);
  // The botserver skips a zero-length .ast and runs the .bas source instead, which would not load.
  const text = lines.length === 0 ? "// no statements to run\n" : `${lines.join("\n")}\n`;
  return { text, tooDeep: state.tooDeep };
}
