/**
 * Emission templates: how a BASIC statement form is written in the `.ast`, as text with `$1`, `$2` …
 * standing for the form's arguments (keyword-forms.ts). A template holds one or more Rhai statements
 * separated by `;`, each of one of three kinds:
 *   - `syntax`: a custom syntax, e.g. `HEAR $1 AS $2` — it must be the syntax in force for its keyword;
 *   - `call`:   a function call, e.g. `SET_BOT_MEMORY($1, $2)` — the function must be registered with
 *               that many arguments, and its name must not be a custom keyword;
 *   - `rhai`:   plain Rhai starting with an argument, e.g. `$1 += [$2]` (only assignments).
 * `checkTemplate` verifies a template against the runtime profile; the emitter writes nothing else.
 */
import type { RuntimeProfile, SyntaxToken } from "./runtime-profile.js";

/** What a `$n` stands for: the BASIC pattern element it came from. */
export type ArgKind = "expr" | "ident" | "string" | "int";

type TemplateToken =
  | { kind: "ident"; text: string }
  | { kind: "arg"; index: number }
  | { kind: "literal"; text: string; literal: "string" | "int" | "other" }
  | { kind: "punct"; text: string };

export interface TemplateStatement {
  kind: "syntax" | "call" | "rhai";
  /** The statement's text, with `$n` placeholders. */
  text: string;
  tokens: TemplateToken[];
  /** The text cut at its placeholders, for rendering without re-scanning it. */
  pieces: Array<string | { index: number; last: boolean; afterValue: boolean }>;
  /** For `call`: the function name and number of arguments. */
  callee?: string;
  argumentCount?: number;
}

export interface EmissionTemplate {
  text: string;
  statements: TemplateStatement[];
  /** Highest `$n` used. */
  arity: number;
  /** Two values side by side (`ANALYZE SENTIMENT $1 $2`): the second may be written as a `{ … }` block. */
  adjacentValues: boolean;
}

const cache = new Map<string, EmissionTemplate>();

export function parseTemplate(text: string): EmissionTemplate {
  const known = cache.get(text);
  if (known !== undefined) return known;
  const statements = splitStatements(text).map(parseStatement);
  let arity = 0;
  for (const s of statements) for (const t of s.tokens) if (t.kind === "arg") arity = Math.max(arity, t.index);
  const adjacentValues = statements.some((st) => st.tokens.some((t, i) => t.kind === "arg" && st.tokens[i - 1]?.kind === "arg"));
  const template = { text, statements, arity, adjacentValues };
  cache.set(text, template);
  return template;
}

function splitStatements(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === ";" && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out.filter((s) => s !== "");
}

function tokenize(text: string): TemplateToken[] {
  const tokens: TemplateToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " ") {
      i++;
    } else if (c === "$") {
      const m = /^\$(\d+)/.exec(text.slice(i));
      if (m === null) throw new Error(`template ${text}: '$' without an argument number`);
      tokens.push({ kind: "arg", index: Number(m[1]) });
      i += m[0].length;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      tokens.push({ kind: "literal", text: text.slice(i, j + 1), literal: "string" });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+/.exec(text.slice(i))!;
      tokens.push({ kind: "literal", text: m[0], literal: "int" });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_]\w*/.exec(text.slice(i))!;
      tokens.push({ kind: "ident", text: m[0] });
      i += m[0].length;
    } else {
      const two = text.slice(i, i + 2);
      const p = ["#{", "+=", "[]", "{}"].includes(two) ? two : c;
      if (p === "[]" || p === "{}") tokens.push({ kind: "literal", text: p === "{}" ? "#{}" : "[]", literal: "other" });
      else tokens.push({ kind: "punct", text: p });
      i += p.length;
    }
  }
  // `#{}` is one literal
  for (let k = 0; k < tokens.length - 1; k++) {
    const a = tokens[k]!;
    const b = tokens[k + 1]!;
    if (a.kind === "punct" && a.text === "#{" && b.kind === "punct" && b.text === "}") tokens.splice(k, 2, { kind: "literal", text: "#{}", literal: "other" });
  }
  return tokens;
}

/** `HEAR $1 AS $2` → ["HEAR ", $1, " AS ", $2]; `last` marks a value that ends a custom syntax statement. */
function piecesOf(text: string, kind: TemplateStatement["kind"]): TemplateStatement["pieces"] {
  const pieces: TemplateStatement["pieces"] = [];
  let at = 0;
  for (const m of text.matchAll(/\$(\d+)/g)) {
    const before = text.slice(at, m.index);
    if (before !== "") pieces.push(before);
    const afterValue = kind === "syntax" && before === " " && typeof pieces[pieces.length - 2] === "object";
    at = m.index + m[0].length;
    pieces.push({ index: Number(m[1]), last: kind === "syntax" && at === text.length, afterValue });
  }
  if (at < text.length) pieces.push(text.slice(at));
  return pieces;
}

function parseStatement(text: string): TemplateStatement {
  const tokens = tokenize(text);
  const first = tokens[0];
  const second = tokens[1];
  const statement = (kind: TemplateStatement["kind"], extra: Partial<TemplateStatement> = {}): TemplateStatement => ({
    kind,
    text,
    tokens,
    pieces: piecesOf(text, kind),
    ...extra,
  });
  if (first?.kind === "arg") return statement("rhai");
  if (first?.kind === "ident" && second?.kind === "punct" && second.text === "(" && text.startsWith(`${first.text}(`)) {
    // A call: NAME(arg, arg, …) — commas at depth 1 separate the arguments.
    let depth = 0;
    let count = 0;
    let sawArg = false;
    for (const t of tokens.slice(1)) {
      if (t.kind === "punct" && (t.text === "(" || t.text === "[" || t.text === "#{")) {
        depth++;
        if (depth > 1) sawArg = true;
      } else if (t.kind === "punct" && (t.text === ")" || t.text === "]" || t.text === "}")) depth--;
      else if (t.kind === "punct" && t.text === "," && depth === 1) count++;
      else sawArg = true;
    }
    return statement("call", { callee: first.text, argumentCount: sawArg ? count + 1 : 0 });
  }
  return statement("syntax");
}

/**
 * Problems with a template against the runtime profile; empty when every statement is accepted.
 * `argKinds[n - 1]` is what `$n` stands for.
 */
export function checkTemplate(template: EmissionTemplate, argKinds: readonly ArgKind[], profile: RuntimeProfile): string[] {
  const problems: string[] = [];
  if (template.arity > argKinds.length) problems.push(`${template.text}: uses $${template.arity} but the form has ${argKinds.length} argument(s)`);
  for (const s of template.statements) {
    if (s.kind === "call") {
      const name = s.callee!;
      if (profile.isCustomKeyword(name)) problems.push(`${s.text}: ${name} is a custom keyword, so Rhai would not read ${name}(…) as a call`);
      else if (profile.callStatus(name, s.argumentCount!) !== "ok") {
        problems.push(`${s.text}: the runtime registers no ${name} function with ${s.argumentCount} argument(s) (it has ${profile.describeArity(name)})`);
      }
    } else if (s.kind === "syntax") {
      const problem = matchSyntax(s, argKinds, profile);
      if (problem !== null) problems.push(`${s.text}: ${problem}`);
    } else {
      const op = s.tokens[1];
      if (op?.kind !== "punct" || (op.text !== "+=" && op.text !== "=")) problems.push(`${s.text}: plain Rhai templates may only assign to an argument`);
    }
  }
  return problems;
}

function matchSyntax(s: TemplateStatement, argKinds: readonly ArgKind[], profile: RuntimeProfile): string | null {
  const first = s.tokens[0];
  if (first?.kind !== "ident") return "does not start with a keyword";
  const syntax = profile.syntax(first.text);
  if (syntax === undefined) return `the runtime has no custom syntax starting with ${first.text}`;
  const expected = syntax.tokens;
  let i = 0;
  const mismatch = () => `is not the syntax in force for ${first.text} (${syntax.pattern})`;
  for (const p of expected) {
    const t = s.tokens[i];
    if (t === undefined) return mismatch();
    if (!fits(p, t, argKinds)) return mismatch();
    i++;
    if (p.kind === "slot" && p.slot === "expr" && t.kind === "punct" && (t.text === "[" || t.text === "#{")) {
      // a bracketed literal as an expression: skip to its closing bracket
      let depth = 1;
      while (i < s.tokens.length && depth > 0) {
        const u = s.tokens[i++]!;
        if (u.kind === "punct" && (u.text === "[" || u.text === "#{")) depth++;
        else if (u.kind === "punct" && (u.text === "]" || u.text === "}")) depth--;
      }
    }
  }
  return i === s.tokens.length ? null : mismatch();
}

function fits(p: SyntaxToken, t: TemplateToken, argKinds: readonly ArgKind[]): boolean {
  switch (p.kind) {
    case "word":
      return t.kind === "ident" && t.text === p.text;
    case "punct":
      return t.kind === "punct" && t.text === p.text;
    case "slot": {
      const kind = t.kind === "arg" ? argKinds[t.index - 1] : undefined;
      switch (p.slot) {
        case "expr":
          return t.kind === "arg" || t.kind === "literal" || (t.kind === "punct" && (t.text === "[" || t.text === "#{"));
        case "ident":
          return kind === "ident";
        case "string":
          return kind === "string" || (t.kind === "literal" && t.literal === "string");
        case "int":
          return kind === "int" || (t.kind === "literal" && t.literal === "int");
        case "block":
          return false;
      }
    }
  }
}

/**
 * The Rhai text of a template, one string per statement (without `;`). `value(n, last)` renders `$n`;
 * `last` is true when it ends a custom syntax statement (where a custom syntax value needs no parentheses).
 * A value right after another (`ANALYZE SENTIMENT $1 $2`) that starts with `(`, `[`, `-`, `+` or `!`
 * would be read as part of the first (`x (y)` is a call, `x [0]` an index, `x -1` a subtraction), so it
 * is written as a block, `{ … }`, which Rhai reads as a value of its own.
 */
export function renderTemplate(template: EmissionTemplate, value: (index: number, last: boolean) => string): string[] {
  return template.statements.map((s) => {
    let out = "";
    for (const piece of s.pieces) {
      if (typeof piece === "string") {
        out += piece;
        continue;
      }
      const text = value(piece.index, piece.last);
      const c = text.charCodeAt(0);
      // ( [ + - !
      out += piece.afterValue && (c === 40 || c === 91 || c === 43 || c === 45 || c === 33) ? `{ ${text} }` : text;
    }
    return out;
  });
}
