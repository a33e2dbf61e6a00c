/**
 * Expressions → Rhai. BASIC operators become Rhai's (`AND` → `&&`, `=` → `==` in every expression —
 * the botserver's preprocessor only rewrites `=` inside IF conditions —, `<>` → `!=`, `&` → `+`,
 * `MOD` → `%`, `^` → `**`, `NOT` → `!`, `NOT IN` → `!in`). Parentheses are added wherever Rhai's
 * precedence would group differently from BASIC's; the source's own parentheses are kept.
 * Keyword forms are written as their lowering says (keyword-forms.ts); names Rhai reads as custom
 * keywords or reserves are written so Rhai reads them as names (`o.LIST` → `o["LIST"]`).
 */
import { renderTemplate } from "./emission-template.js";
import { RUNTIME } from "./runtime-profile.js";
import { needsQuoting } from "./rhai-names.js";
import { quoteRhai } from "./string-literals.js";
import type { Span } from "./diagnostics.js";
import type { BinaryOperator, Expr, Lowered } from "./syntax-tree.js";

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
  return e.kind === "keyword" ? renderLowered(e.lowered)[0]! : emitExpression(e);
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
    case "unit":
      return "()";
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
      const logical = e.op === "and" || e.op === "or";
      const left = logical ? condition(e.left, precedence, false) : operand(e.left, precedence, rightAssociative);
      const right = logical ? condition(e.right, precedence, true) : operand(e.right, precedence, !rightAssociative);
      return `${left} ${RHAI_OPERATOR[e.op]} ${right}`;
    }
    case "paren":
      return `(${emitTopExpression(e.inner)})`;
    case "call": {
      const args = e.args.map(emitExpression);
      if (e.callee.kind === "identifier" && RUNTIME.isCustomKeyword(e.callee.name)) {
        // `LLM("x")`, `FIND("t", "f")`: the custom syntax itself (semantic checks reject other shapes).
        return RUNTIME.syntaxCall(e.callee.name, args) ?? `${e.callee.name}(${args.join(", ")})`;
      }
      return `${postfixTarget(e.callee)}(${args.join(", ")})`;
    }
    case "member":
      return needsQuoting(e.name) ? `${postfixTarget(e.object)}[${quoteRhai(e.name)}]` : `${postfixTarget(e.object)}.${e.name}`;
    case "index":
      return `${postfixTarget(e.object)}[${emitTopExpression(e.index)}]`;
    case "array":
      return `[${e.items.map(emitExpression).join(", ")}]`;
    case "map":
      return e.entries.length === 0 ? "#{}" : `#{ ${e.entries.map((m) => `${mapKey(m.key)}: ${emitExpression(m.value)}`).join(", ")} }`;
    case "keyword": {
      const text = renderLowered(e.lowered)[0]!;
      return e.lowered.template.statements[0]?.kind === "call" ? text : `(${text})`;
    }
    case "error":
      return "()";
  }
}

/**
 * A number where Rhai wants a boolean (`WHILE 1`, `IF 0 THEN`, `x AND 1`): Rhai rejects the whole
 * script for a constant that is not a boolean there, and BASIC means "not zero".
 */
export function literalTruth(e: Expr): boolean | null {
  let x = e;
  // Rhai folds `-(1)` into a constant too.
  while (x.kind === "paren" || (x.kind === "unary" && x.op !== "not")) x = x.kind === "paren" ? x.inner : x.operand;
  if (x.kind !== "number") return null;
  const value = Number(x.raw.replace(/_/g, ""));
  return Number.isNaN(value) ? true : value !== 0;
}

/** An expression in a boolean position: the condition of an IF or loop, an operand of AND / OR. */
export function emitCondition(e: Expr): string {
  const truth = literalTruth(e);
  return truth === null ? emitExpression(e) : String(truth);
}

function condition(e: Expr, parentPrecedence: number, strict: boolean): string {
  const truth = literalTruth(e);
  return truth === null ? operand(e, parentPrecedence, strict) : String(truth);
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

/** Pieces of one concatenation per group, so a long text stays within the runtime's parser depth. */
const CONCAT_GROUP = 16;

/**
 * Interpolated text (BEGIN TALK / MAIL lines) → `"lit" + expr + "lit"`. Past CONCAT_GROUP pieces the
 * chain is split into parenthesised groups, each starting with a text so that `+` stays concatenation:
 * `("a" + x + … ) + ("" + y + …)` (every operator of a chain costs the runtime's parser one level).
 */
export function concatenationExpr(parts: ReadonlyArray<{ kind: "text"; text: string } | { kind: "expr"; expr: Expr }>, span: Span): Expr {
  const pieces: Expr[] = [];
  let text = "";
  let hasText = false;
  const str = (t: string): Expr => ({ kind: "string", raw: quoteRhai(t), value: t, span });
  for (const part of parts) {
    if (part.kind === "text") {
      text += part.text;
      hasText = true;
      continue;
    }
    if (hasText || pieces.length === 0) pieces.push(str(text));
    text = "";
    hasText = false;
    pieces.push(part.expr);
  }
  if (hasText || pieces.length === 0) pieces.push(str(text));
  const chain = (list: readonly Expr[]): Expr => list.slice(1).reduce<Expr>((left, right) => ({ kind: "binary", op: "add", left, right, span }), list[0]!);
  let level: Expr[] = pieces;
  while (level.length > CONCAT_GROUP) {
    const groups: Expr[] = [];
    for (let i = 0; i < level.length; i += CONCAT_GROUP) {
      const group = level.slice(i, i + CONCAT_GROUP);
      if (group[0]!.kind !== "string") group.unshift(str(""));
      groups.push({ kind: "paren", inner: chain(group), span });
    }
    level = groups;
  }
  return chain(level);
}

/**
 * A lowered keyword form → its Rhai statements, without the trailing `;`. `blockValues`: the values after
 * the first are written as blocks (`{ v }`), for a plain-Rhai assignment whose value holds a custom syntax.
 */
export function renderLowered(lowered: Lowered, blockValues = false): string[] {
  return renderTemplate(lowered.template, (n, last) => {
    const value = lowered.values[n - 1]!;
    if (blockValues && n > 1) return `{ ${emitTopExpression(value)} }`;
    return last ? emitTopExpression(value) : emitExpression(value);
  });
}

function mapKey(key: string): string {
  return key.startsWith('"') || !needsQuoting(key) ? key : quoteRhai(key);
}
