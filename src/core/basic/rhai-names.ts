import { RUNTIME } from "./runtime-profile.js";

/**
 * Words Rhai 1.24 does not accept as a variable, parameter or property name (in this case): its
 * keywords, its reserved words and the names of its built-in functions. Checked one by one against the
 * runtime's engine (`let NAME = 1;`). Identifiers keep their case, so `Loop` or `NEW` are fine.
 */
const RHAI_RESERVED = new Set([
  // keywords
  "as", "break", "catch", "const", "continue", "do", "else", "export", "false", "fn", "for", "if", "import", "in", "let",
  "loop", "private", "return", "switch", "throw", "true", "try", "until", "while", "is",
  // reserved for the future
  "async", "await", "case", "default", "go", "goto", "match", "module", "new", "nil", "null", "package", "protected",
  "public", "shared", "spawn", "static", "super", "sync", "this", "thread", "use", "var", "void", "with", "yield",
  // built-in function names
  "print", "debug", "type_of", "eval", "Fn", "call", "curry", "is_def_var", "is_def_fn", "is_shared",
]);

export function isRhaiReserved(name: string): boolean {
  return RHAI_RESERVED.has(name);
}

/** Rhai rejects a name made only of `_` and digits (`_1`, `__`): "Variable name is not proper". */
export function isProperName(name: string): boolean {
  return /[A-Za-z]/.test(name);
}

/** A property or map key Rhai would not read as a name: a custom keyword (`LIST`), a reserved word, `_1`. */
export function needsQuoting(name: string): boolean {
  return RUNTIME.isCustomKeyword(name) || isRhaiReserved(name) || !isProperName(name);
}
