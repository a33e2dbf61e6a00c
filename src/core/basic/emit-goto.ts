/**
 * GOTO: when a script uses GOTO, its top-level statements become a state machine. Each
 * label starts a segment; a segment falls through to the next by setting the state; `GOTO x` sets the
 * state and `continue`s the dispatch loop. A step counter bounds runaway loops, as the botserver's
 * transform does with its "GOTO loop exceeded maximum iterations" guard.
 *
 *   let __goto_label = "__start";
 *   let __goto_steps = 0;
 *   while __goto_label != "__end" {
 *     __goto_steps += 1;
 *     if __goto_steps > 1000000 { throw "GOTO loop exceeded maximum iterations (1000000)"; }
 *     if __goto_label == "__start" { …; __goto_label = "LOOP"; }
 *     if __goto_label == "LOOP" { …; __goto_label = "__end"; }
 *   }
 * SUB/FUNCTION definitions are emitted before the machine (Rhai functions live at the top level).
 */
import { emitBody, emitStatement, indent, type EmitState } from "./emit-statements.js";
import { COST } from "./rhai-depth.js";
import { quoteRhai } from "./string-literals.js";
import type { Stmt } from "./syntax-tree.js";

export const MAX_GOTO_STEPS = 1_000_000;

export function emitGotoMachine(body: readonly Stmt[], state: EmitState): void {
  const segments: Array<{ state: string; body: Stmt[] }> = [{ state: "__start", body: [] }];
  const states = new Map<string, string>();
  for (const s of body) {
    if (s.kind === "sub") {
      emitStatement(s, 0, state);
      continue;
    }
    if (s.kind === "label") {
      const name = s.name.toUpperCase();
      states.set(name, name);
      segments.push({ state: name, body: [] });
      continue;
    }
    segments[segments.length - 1]!.body.push(s);
  }
  // The segments sit inside the dispatch `while` and their `if`.
  const machine: EmitState = { ...state, gotoStates: states, level: state.level + 2 * COST.block };
  const lines = state.lines;
  lines.push('let __goto_label = "__start";');
  lines.push("let __goto_steps = 0;");
  lines.push('while __goto_label != "__end" {');
  lines.push(`${indent(1)}__goto_steps += 1;`);
  lines.push(`${indent(1)}if __goto_steps > ${MAX_GOTO_STEPS} {`);
  lines.push(`${indent(2)}throw "GOTO loop exceeded maximum iterations (${MAX_GOTO_STEPS})";`);
  lines.push(`${indent(1)}}`);
  segments.forEach((segment, i) => {
    const next = segments[i + 1]?.state ?? "__end";
    lines.push(`${indent(1)}if __goto_label == ${quoteRhai(segment.state)} {`);
    emitBody(segment.body, 2, machine);
    lines.push(`${indent(2)}__goto_label = ${quoteRhai(next)};`);
    lines.push(`${indent(1)}}`);
  });
  lines.push("}");
}
