/** Which tokens can begin an expression — shared by the expression parser and the keyword-form matcher. */
import type { Token } from "./tokens.js";

/** Words that end an expression rather than start one (`IF x THEN`, `FOR i = 1 TO n`, `HEAR x AS …`). */
export const RESERVED_WORDS = new Set(["THEN", "ELSE", "ELSEIF", "END", "ENDIF", "TO", "STEP", "EACH", "AND", "OR", "XOR", "MOD", "IN", "AS", "NOT"]);

export function canStartExpression(t: Token): boolean {
  switch (t.kind) {
    case "number":
    case "string":
    case "template":
      return true;
    case "identifier":
      return !RESERVED_WORDS.has(t.upper) || t.upper === "NOT";
    case "punct":
      return t.text === "(" || t.text === "[" || t.text === "#{" || t.text === "{" || t.text === "-" || t.text === "+" || t.text === "!";
    default:
      return false;
  }
}
