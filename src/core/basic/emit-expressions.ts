/**
 * Expressions → Rhai. BASIC operators become Rhai's (`AND` → `&&`, `=` → `==` in every expression —
 * the botserver only rewrites `=` inside IF conditions, §3.3 step 10 —, `<>` → `!=`, `&` → `+`,
 * `MOD` → `%`, `^` → `**`, `NOT` → `!`, `NOT IN` → `!in`). Parentheses are added wherever Rhai's
 * precedence would group differently from BASIC's; the source's own parentheses are kept.
 * Keyword forms (custom syntax, §3.8) are written as keyword-forms.ts says.
 */
import type { KeywordForm } from "./keyword-forms.js";
import type { BinaryOperator, Expr, FormArg } from "./syntax-tree.js";

const RHAI_OPERATOR: Record<BinaryOperator, string> = {
  or: "||", xor: "^", and: "&&",
  eq: "==", ne: "!=", lt: "<", le: "<=", gt: ">", ge: ">=", in: "in", "not-in": "!in",
  concat: "+", add: "+", sub: "-", mod: "%", mul: "*", div: "/", pow: "**",
};

/** Rhai's binding power of each operator (higher binds tighter). */
const RHAI_PRECEDENCE: Record<BinaryOperator, number> = {
  or: 30, xor: 30, and: 60,
  eq: 90, ne: 90, in: 110, "not-in": 110, lt: 130, le: 130, gt: 130, ge: 130,
  concat: 150, add: 150, sub: 150, mod: 180, mul: 180, div: 180, pow: 190,
};

/** An expression in a position where anything goes (assignment value, last argument of a keyword). */
export function emitTopExpression(e: Expr): string {
  return e.kind === "keyword" ? renderKeywordForm(e.form, e.args) : emitExpression(e);
}

/** An expression as an operand or argument: a keyword form (custom syntax) is parenthesised. */
export function emitExpression(e: Expr): string {
  switch (e.kind) {
    case "number":
      return e.raw;
    case "string":
      return e.raw;
    case "bool":
      return e.value ? "true" : "false";
    case "identifier":
      return e.name;
    case "template":
      return `\`${e.parts.map((p) => (p.kind === "text" ? p.raw : `\${${emitTopExpression(p.expr)}}`)).join("")}\``;
    case "unary": {
      const op = e.op === "neg" ? "-" : e.op === "plus" ? "+" : "!";
      const operand = emitExpression(e.operand);
      return e.operand.kind === "binary" || (e.operand.kind === "unary" && op !== "!") ? `${op}(${operand})` : `${op}${operand}`;
    }
    case "binary": {
      const precedence = RHAI_PRECEDENCE[e.op];
      const rightAssociative = e.op === "pow";
      const left = operand(e.left, precedence, rightAssociative);
      const right = operand(e.right, precedence, !rightAssociative);
      return `${left} ${RHAI_OPERATOR[e.op]} ${right}`;
    }
    case "paren":
      return `(${emitTopExpression(e.inner)})`;
    case "call":
      return `${postfixTarget(e.callee)}(${e.args.map(emitExpression).join(", ")})`;
    case "member":
      return `${postfixTarget(e.object)}.${e.name}`;
    case "index":
      return `${postfixTarget(e.object)}[${emitTopExpression(e.index)}]`;
    case "array":
      return `[${e.items.map(emitExpression).join(", ")}]`;
    case "map":
      return e.entries.length === 0 ? "#{}" : `#{ ${e.entries.map((m) => `${m.key}: ${emitExpression(m.value)}`).join(", ")} }`;
    case "keyword":
      return `(${renderKeywordForm(e.form, e.args)})`;
    case "error":
      return "()";
  }
}

/** `strict`: parenthesise an operand of equal precedence too (the side that does not associate). */
function operand(e: Expr, parentPrecedence: number, strict: boolean): string {
  const text = emitExpression(e);
  if (e.kind !== "binary") return text;
  const p = RHAI_PRECEDENCE[e.op];
  return p < parentPrecedence || (strict && p === parentPrecedence) ? `(${text})` : text;
}

function postfixTarget(e: Expr): string {
  const text = emitExpression(e);
  return e.kind === "binary" || e.kind === "unary" ? `(${text})` : text;
}

/** `"lit" + expr + "lit"` for interpolated text (BEGIN TALK, BEGIN MAIL, BEGIN SYSTEM PROMPT). */
export function emitConcatenation(parts: ReadonlyArray<{ kind: "text"; text: string } | { kind: "expr"; expr: Expr }>, quote: (text: string) => string): string {
  const pieces: string[] = [];
  let text = "";
  let hasText = false;
  for (const part of parts) {
    if (part.kind === "text") {
      text += part.text;
      hasText = true;
      continue;
    }
    if (hasText || pieces.length === 0) pieces.push(quote(text));
    text = "";
    hasText = false;
    pieces.push(operand(part.expr, RHAI_PRECEDENCE.add, true));
  }
  if (hasText || pieces.length === 0) pieces.push(quote(text));
  return pieces.join(" + ");
}

/** A keyword form (keyword-forms.ts) → its Rhai text, without the trailing `;`. */
export function renderKeywordForm(form: KeywordForm, args: readonly FormArg[]): string {
  const emit = form.emit;
  if (emit.kind === "call") {
    const values: string[] = [];
    for (const a of args) if (a.kind !== "word") values.push(a.kind === "expr" ? emitExpression(a.expr) : a.kind === "ident" ? a.name : a.raw);
    return `${emit.name}(${values.join(", ")})`;
  }
  if (emit.kind === "render") return emit.render(argumentValues(args), args);
  let out = "";
  let previous = "";
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const piece = a.kind === "word" ? a.text : a.kind === "expr" ? (i === args.length - 1 ? emitTopExpression(a.expr) : emitExpression(a.expr)) : a.kind === "ident" ? a.name : a.raw;
    if (out === "" || piece === "," || piece === ")" || previous === "(") out += piece;
    else if (piece === "(") out += piece;
    else out += ` ${piece}`;
    previous = piece;
  }
  return out;
}

/** The argument values (not the keywords), emitted as operands (a keyword form in parentheses). */
function argumentValues(args: readonly FormArg[]): string[] {
  const values: string[] = [];
  for (const a of args) {
    if (a.kind === "expr") values.push(emitExpression(a.expr));
    else if (a.kind !== "word") values.push(a.kind === "ident" ? a.name : a.raw);
  }
  return values;
}
