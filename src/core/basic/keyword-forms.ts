/**
 * Keyword forms: the BASIC statements that start with a keyword, and how each is written in the `.ast`.
 *
 * Three sources, one list:
 *   1. the LOWERING table below: the dialect people write where the runtime's syntax differs or was
 *      replaced — each maps a BASIC pattern to an emission template (emission-template.ts) that is the
 *      syntax in force or a registered function, or to `none` when the runtime offers nothing (a compile
 *      error that names what it does offer);
 *   2. every custom syntax IN FORCE in the runtime (runtime-profile.ts), accepted as written and emitted
 *      as it is — `TALK x`, `FIND t, f`, `SEND SMS a, b, c, d` (spaces or underscores, any case);
 *   3. every custom syntax the runtime registered but REPLACED (same first word, registered later) that
 *      no table row covers: lowered to the function of the same name where one is registered
 *      (`GET QUEUE` → `get_queue()`, `ADD NOTE a TO b` → `add_note(a, b)`), else `none`.
 * A new botserver version is a regenerated profile plus edits to this one table; keyword-forms.test.ts
 * checks every row and every form against the profile and the runtime's engine.
 *
 * Pattern language: words are keywords (matched case-insensitively; `SEND_SMS` also matches `SEND SMS`);
 * `A|B` alternatives; `$expr` an expression, `$exprs` one or more comma-separated expressions, `$ident` a
 * name, `$string` a string literal, `$int` a whole number, `$assignments` `name = value, …` (a map),
 * `$rest` whatever follows (for `none` rows); `, : ( )` punctuation; `[ … ]` an optional part.
 */
import { checkTemplate, parseTemplate, type ArgKind, type EmissionTemplate } from "./emission-template.js";
import { appendItem, findWhere, hearMenu, saveColumns, updateSet, type Prepared } from "./dialect-lowerings.js";
import { RUNTIME, type RuntimeProfile } from "./runtime-profile.js";
import type { Span } from "./diagnostics.js";
import type { Expr } from "./syntax-tree.js";

export type PatternElement =
  | { kind: "token"; options: TokenOption[] }
  | { kind: "expr" }
  | { kind: "exprs" }
  | { kind: "ident" }
  | { kind: "string" }
  | { kind: "int" }
  | { kind: "assignments" }
  | { kind: "rest" }
  | { kind: "optional"; elements: PatternElement[] };

/** A keyword (`parts` = its upper-case underscore-separated words) or a punctuation mark (`parts` = null). */
export interface TokenOption {
  text: string;
  parts: string[] | null;
}

export type Render = (values: Expr[], span: Span) => Prepared;

export type Lowering =
  | { kind: "template"; template: EmissionTemplate }
  | { kind: "render"; render: Render; emits: readonly EmissionTemplate[] }
  | { kind: "none"; hint: string | null };

export interface KeywordForm {
  /** The BASIC pattern; unique. */
  id: string;
  /** The leading keywords, for messages (`SEND MAIL`). */
  phrase: string;
  elements: PatternElement[];
  lowering: Lowering;
  /** What each `$n` stands for (template rows). */
  argKinds: ArgKind[];
  /** Shown as a warning wherever the form is used. */
  warning: string | null;
  /** Keyword words before the first argument, then keyword tokens in all: more specific forms are tried first. */
  specificity: number;
  keywordCount: number;
  /** Number of leading keyword elements (the phrase). */
  phraseLength: number;
  /** A form whose emission is more than one expression (statements, assignments) is not a value. */
  statementOnly: boolean;
  origin: "dialect" | "runtime" | "replaced";
}

// ── the lowering table ──────────────────────────────────────────────────────────────────────────────

interface RowOptions {
  warning?: string;
}

type Row = [pattern: string, lowering: string | { none: string | null } | { render: Render; emits: string[] }, options?: RowOptions];

const none = (hint: string | null = null) => ({ none: hint });
const render = (fn: Render, ...emits: string[]) => ({ render: fn, emits });
const padded = (what: string) => ({
  warning: `${what} takes more arguments in the botserver runtime; the missing ones are passed as empty text ("")`,
});

/**
 * BASIC as people write it → what the runtime runs. Rows are tried most specific first (more leading
 * keywords, then more keywords in all), then in this order, then the runtime's own forms.
 */
const LOWERING: Row[] = [
  // ── dialog ──
  ["HEAR $ident AS $expr WITH $expr", "TALK $3; HEAR $1 AS $2"],
  // `HEAR choice AS "Yes", "No"`: a menu, which the one HEAR in force takes as a list.
  ["HEAR $ident AS $expr , $exprs", render(hearMenu, "HEAR $1 AS $2")],
  ["HEAR $ident WITH $expr", 'TALK $2; HEAR $1 AS ""'],
  // The only HEAR in force needs AS: an empty type is "any input".
  ["HEAR $ident", 'HEAR $1 AS ""'],
  ["TALK TO $rest", none("TALK writes to the current conversation only")],
  ["ADD_SUGGESTION_TOOL $expr AS|, $expr", "ADD_SUGGESTION_TOOL $1 as $2"],
  ["ADD_SUGGESTION_TEXT $expr AS|, $expr", "ADD_SUGGESTION_TEXT $1 as $2"],
  // `ADD SUGGESTION key AS label` (its own syntax was replaced): a text suggestion with the same label.
  ["ADD_SUGGESTION $expr AS|, $expr", "ADD_SUGGESTION_TEXT $1 as $2"],
  ["ADD_SWITCHER $expr AS|, $expr", "ADD_SWITCHER $1 as $2"],
  ["PLAY $expr", "PLAY $1 WITH OPTIONS #{}"],
  ["WAIT $expr", "sleep($1)"],
  // ── memory, knowledge, tools ──
  ["SET BOT MEMORY $expr , $expr", "SET_BOT_MEMORY($1, $2)"],
  ["GET BOT MEMORY $expr", "GET_BOT_MEMORY($1)"],
  ["USE KB $expr", "USE_KB($1)"],
  ["CLEAR KB", "CLEAR_KB()"],
  ["CLEAR KB $rest", none("CLEAR_KB() clears every knowledge base of the conversation")],
  ["USE TOOL $expr", "USE_TOOL($1)"],
  // ADD TOOL is the advertised name of USE TOOL; it never had a syntax of its own.
  ["ADD TOOL $expr", "USE_TOOL($1)"],
  // ── data ──
  ["FIND $expr", 'FIND $1, ""'],
  ["FIND $expr WHERE $expr", render(findWhere, "FIND $1, $2")],
  ["FIND $expr , $expr WHERE $expr", render(findWhere, "FIND $1, $2")],
  ["SAVE $expr , $exprs", render(saveColumns, "INSERT $1, $2")],
  ["UPDATE $expr SET $assignments [ WHERE $expr ]", render(updateSet, "UPDATE $1, $2, $3")],
  ["APPEND $expr , $expr", render(appendItem, "$1 += [$2]")],
  ["SEARCH PRODUCTS $expr , $expr", "SEARCH_PRODUCTS($1, $2)"],
  ["GET $rest", none("an HTTP GET cannot be written (POST, PUT and PATCH can)")],
  // ── messages ──
  ["SEND MAIL|EMAIL $expr , $expr , $expr , $expr", "send_mail($1, $2, $3, $4)"],
  ["SEND MAIL|EMAIL $expr , $expr , $expr", "send_mail($1, $2, $3, [])"],
  ["SEND MAIL|EMAIL $expr , $expr", 'send_mail($1, "", $2, [])'],
  ["SEND_SMS $expr , $expr", 'SEND_SMS $1, $2, "", ""', padded("SEND SMS")],
  ["SEND_SMS $expr , $expr , $expr", 'SEND_SMS $1, $2, $3, ""', padded("SEND SMS")],
  ["SEND_TEMPLATE $expr , $expr , $expr", "SEND_TEMPLATE($1, $2, $3)"],
  ["SEND_TEMPLATE $expr , $expr , $expr , $expr", "SEND_TEMPLATE($1, $2, $3, $4)"],
  // ── tasks and files ──
  ["CREATE_TASK $expr", 'CREATE_TASK $1, "", "", ""'],
  ["CREATE_TASK $expr , $expr", 'CREATE_TASK $1, $2, "", ""'],
  ["CREATE_TASK $expr , $expr , $expr", 'CREATE_TASK $1, $2, $3, ""'],
  ["WRITE $expr", 'WRITE $1, ""', padded("WRITE")],
  ["DOWNLOAD $expr", 'DOWNLOAD $1, ""', padded("DOWNLOAD")],
  // ── errors ──
  ["CLEAR ERROR", "ERR_CLEAR()"],
  // ON ERROR RESUME NEXT and ON ERROR GOTO 0 are statements of the parser (try … catch); a jump is not.
  ["ON ERROR $rest", none("ON ERROR RESUME NEXT and ON ERROR GOTO 0 can be written, a jump to a label cannot")],
  // ── replaced or never registered, with advice ──
  ["SET CONTEXT $rest", none("a script cannot set the LLM context in this runtime")],
  ["SET USER $rest", none()],
  ["CLEAR SUGGESTIONS", none()],
  ["USE MODEL $rest", none("SET MODEL ROUTING $expr$ is the runtime's model switch")],
];

// ── pattern compilation ─────────────────────────────────────────────────────────────────────────────

const PUNCT_IN_PATTERNS = new Set([",", ":", "(", ")", "="]);
const ELEMENTS: Record<string, PatternElement> = {
  $expr: { kind: "expr" },
  $exprs: { kind: "exprs" },
  $ident: { kind: "ident" },
  $string: { kind: "string" },
  $int: { kind: "int" },
  $assignments: { kind: "assignments" },
  $rest: { kind: "rest" },
};

function compilePattern(pattern: string): PatternElement[] {
  const words = pattern.split(" ");
  let i = 0;
  const group = (): PatternElement[] => {
    const out: PatternElement[] = [];
    while (i < words.length) {
      const w = words[i++]!;
      if (w === "]") return out;
      if (w === "[") out.push({ kind: "optional", elements: group() });
      else if (ELEMENTS[w] !== undefined) out.push(ELEMENTS[w]!);
      else {
        out.push({
          kind: "token",
          options: w.split("|").map((text) => ({ text, parts: PUNCT_IN_PATTERNS.has(text) ? null : text.toUpperCase().split("_") })),
        });
      }
    }
    return out;
  };
  return group();
}

const ARG_KIND: Partial<Record<PatternElement["kind"], ArgKind>> = { expr: "expr", ident: "ident", string: "string", int: "int" };

function argKindsOf(elements: readonly PatternElement[]): ArgKind[] {
  const out: ArgKind[] = [];
  for (const el of elements) {
    if (el.kind === "optional") out.push(...argKindsOf(el.elements));
    else if (ARG_KIND[el.kind] !== undefined) out.push(ARG_KIND[el.kind]!);
    else if (el.kind === "exprs" || el.kind === "assignments") out.push("expr");
  }
  return out;
}

/** Problems found while building the forms: rows the runtime profile does not accept (must stay empty). */
export const LOWERING_PROBLEMS: string[] = [];

function buildForm(pattern: string, lowering: Lowering, warning: string | null, origin: KeywordForm["origin"]): KeywordForm {
  const elements = compilePattern(pattern);
  const leading: string[] = [];
  let specificity = 0;
  for (const el of elements) {
    if (el.kind !== "token" || el.options[0]?.parts === null) break;
    leading.push(el.options[0]!.text);
    specificity += el.options[0]?.parts?.length ?? 0;
  }
  let keywordCount = 0;
  const countKeywords = (els: readonly PatternElement[]) => {
    for (const el of els) {
      if (el.kind === "token" && el.options[0]?.parts !== null) keywordCount += el.options[0]?.parts?.length ?? 0;
      else if (el.kind === "optional") countKeywords(el.elements);
    }
  };
  countKeywords(elements);
  const statementOnly =
    (lowering.kind === "template" && (lowering.template.statements.length > 1 || lowering.template.statements[0]?.kind === "rhai")) ||
    (lowering.kind === "render" && lowering.emits.some((t) => t.statements.length > 1 || t.statements[0]?.kind === "rhai"));
  return {
    id: pattern,
    phrase: leading.join(" ").replace(/_/g, " "),
    elements,
    lowering,
    argKinds: argKindsOf(elements),
    warning,
    specificity,
    keywordCount,
    phraseLength: leading.length,
    statementOnly,
    origin,
  };
}

/** A row of the table → its form; a row the profile rejects becomes a `none` form that says why. */
function dialectForm([pattern, target, options]: Row, profile: RuntimeProfile): KeywordForm {
  let lowering: Lowering;
  if (typeof target === "string") lowering = { kind: "template", template: parseTemplate(target) };
  else if ("none" in target) lowering = { kind: "none", hint: target.none };
  else lowering = { kind: "render", render: target.render, emits: target.emits.map(parseTemplate) };
  const form = buildForm(pattern, lowering, options?.warning ?? null, "dialect");
  const templates = lowering.kind === "template" ? [lowering.template] : lowering.kind === "render" ? lowering.emits : [];
  // A render's templates take the values it makes; where they line up with the pattern's, they have its kinds.
  const kinds: ArgKind[] = lowering.kind === "template" ? form.argKinds : [...form.argKinds, "expr", "expr", "expr", "expr"];
  const problems = templates.flatMap((t) => checkTemplate(t, kinds, profile));
  if (problems.length > 0) {
    LOWERING_PROBLEMS.push(...problems.map((p) => `${pattern}: ${p}`));
    return { ...form, lowering: { kind: "none", hint: `the lowering ${problems.join("; ")} is not accepted by the runtime profile` } };
  }
  return form;
}

/**
 * Custom syntax the parser handles as BASIC statements of its own: CALL, RETURN and EXIT, and WEBHOOK,
 * which registers an endpoint when the script is compiled (the botserver's compiler removes the line).
 */
const PARSER_KEYWORDS = new Set(["CALL", "RETURN", "EXIT", "WEBHOOK"]);

const isSlot = (w: string) => w.startsWith("$") && w.endsWith("$") && w.length > 2;

/** A runtime pattern (`HEAR $ident$ AS $expr$`) → the BASIC pattern that accepts it (`HEAR $ident AS $expr`). */
function basicPattern(words: readonly string[]): string {
  return words.map((w) => (isSlot(w) ? w.slice(0, -1) : w)).join(" ");
}

/** A custom syntax in force → a form that accepts it as written and emits it unchanged. */
function runtimeForm(pattern: string): KeywordForm | null {
  const words = pattern.split(" ");
  if (words.includes("$block$") || PARSER_KEYWORDS.has(words[0]!)) return null;
  let n = 0;
  let template = "";
  for (const w of words) {
    const piece = isSlot(w) ? `$${++n}` : w;
    template += template === "" || piece === "," || piece === ")" || template.endsWith("(") || piece === "(" ? piece : ` ${piece}`;
  }
  return buildForm(basicPattern(words), { kind: "template", template: parseTemplate(template) }, null, "runtime");
}

/**
 * A replaced custom syntax → the function named after its keywords when the runtime registers one with as
 * many arguments (`GET QUEUE $expr$` → `get_queue($1)`), else an error naming what the runtime offers.
 * Skipped when the parser owns the keyword, a table row handles its phrase, or it is a syntax in force
 * written with spaces for underscores.
 */
function replacedForm(pattern: string, dialectPhrases: ReadonlySet<string>, runtimePatterns: ReadonlySet<string>, profile: RuntimeProfile): KeywordForm | null {
  const words = pattern.split(" ");
  if (words.includes("$block$") || PARSER_KEYWORDS.has(words[0]!) || ["DO", "FOR", "WHILE"].includes(words[0]!)) return null;
  const phrase: string[] = [];
  for (const w of words) {
    if (!/^[A-Za-z_]\w*$/.test(w)) break;
    phrase.push(...w.toUpperCase().split("_"));
  }
  // `SET HEADER a, b` is the `SET_HEADER a, b` in force; `ON ERROR GOTO x` is the table's `ON ERROR` row.
  if (runtimePatterns.has(normalisedPattern(words))) return null;
  for (let n = phrase.length; n >= 1; n--) if ((n === phrase.length || n >= 2) && dialectPhrases.has(phrase.slice(0, n).join(" "))) return null;
  const slots = words.filter(isSlot).length;
  const fn = profile.resolveFunction(phrase.join("_"), slots);
  // Only a name of two words or more says it is the same thing (`SET a, b, c` is not Rhai's array `set`).
  const lowering: Lowering =
    phrase.length >= 2 && fn.status === "ok" && !profile.isCustomKeyword(fn.name)
      ? { kind: "template", template: parseTemplate(`${fn.name}(${Array.from({ length: slots }, (_, i) => `$${i + 1}`).join(", ")})`) }
      : { kind: "none", hint: null };
  return buildForm(basicPattern(words), lowering, null, "replaced");
}

/** A pattern with its keywords split at `_`, in upper case: `SET_HEADER $expr$ , $expr$` = `SET HEADER $expr$ , $expr$`. */
function normalisedPattern(words: readonly string[]): string {
  return words.map((w) => (isSlot(w) ? w : w.toUpperCase().split("_").join(" "))).join(" ");
}

function buildForms(profile: RuntimeProfile): KeywordForm[] {
  const forms = LOWERING.map((row) => dialectForm(row, profile));
  const dialectPhrases = new Set(forms.map((f) => f.phrase.toUpperCase().replace(/_/g, " ")));
  const runtimePatterns = new Set<string>();
  for (const s of profile.keywords()) {
    const form = runtimeForm(s.pattern);
    if (form !== null) forms.push(form);
    runtimePatterns.add(normalisedPattern(s.pattern.split(" ")));
  }
  for (const pattern of profile.replaced) {
    const form = replacedForm(pattern, dialectPhrases, runtimePatterns, profile);
    if (form !== null) forms.push(form);
  }
  return forms;
}

export const KEYWORD_FORMS: readonly KeywordForm[] = buildForms(RUNTIME);

/** Between forms equally specific: the table's rows, then the syntax in force, then replaced syntax. */
const ORIGIN_RANK: Record<KeywordForm["origin"], number> = { dialect: 0, runtime: 1, replaced: 2 };

/** Forms by the first word of their phrase, most specific first (then dialect rows in table order). */
const BY_FIRST_WORD = new Map<string, KeywordForm[]>();
for (const form of KEYWORD_FORMS) {
  const first = form.elements[0];
  if (first?.kind !== "token") throw new Error(`keyword form without a leading keyword: ${form.id}`);
  for (const option of first.options) {
    const key = option.parts?.[0] ?? option.text;
    const list = BY_FIRST_WORD.get(key) ?? [];
    if (!list.includes(form)) list.push(form);
    BY_FIRST_WORD.set(key, list);
  }
}
for (const list of BY_FIRST_WORD.values()) {
  list.sort((a, b) => b.specificity - a.specificity || b.keywordCount - a.keywordCount || ORIGIN_RANK[a.origin] - ORIGIN_RANK[b.origin]);
}

const NONE: readonly KeywordForm[] = [];

/** Candidate forms for a statement or expression that starts with the word `upper` (its first `_` part). */
export function formsStartingWith(upper: string): readonly KeywordForm[] {
  return BY_FIRST_WORD.get(upper) ?? NONE;
}
