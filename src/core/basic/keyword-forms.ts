/**
 * The keyword inventory (§3.8): every custom-syntax statement the botserver runtime registers, as a
 * pattern, and how each is written in the `.ast`.
 *
 * Pattern language: words in upper case are keywords (matched case-insensitively; an underscore spelling
 * such as `SEND_SMS` also matches `SEND SMS`, and the spelling written here is the one emitted);
 * `A|B` alternatives; `$expr` an expression, `$exprs` zero or more comma-separated expressions (for forms
 * whose arguments §3.8 does not spell out), `$ident` a name, `$string` a string literal, `$int` a whole
 * number; `, : ( )` punctuation; `[ … ]` an optional part.
 *
 * Emission:
 *   - `syntax` (default): the custom syntax as registered — upper-case keywords, never case-folded
 *     (§3.3 step 12 lower-cases `AS`, `IN`, `DO`, `FOR`, `IMPORT`, `EXPORT` … against the registrations);
 *   - `call`: §3.3 step 7 turns some statements into function calls (`USE KB "x"` → `USE_KB("x")`).
 *     Only USE_KB, USE_TOOL, USE_WEBSITE, CLEAR_KB, SET_BOT_MEMORY and GET_BOT_MEMORY are registered
 *     functions; the other conversions are kept (an existing deployment behaves the same) with a warning;
 *   - `render`: a form with its own spelling (`ADD_SUGGESTION a as b`, `LLM … WITH OPTIMIZE FOR …`).
 */
import type { Expr, FormArg } from "./syntax-tree.js";

export type PatternElement =
  | { kind: "token"; options: TokenOption[] }
  | { kind: "expr" }
  | { kind: "exprs" }
  | { kind: "ident" }
  | { kind: "string" }
  | { kind: "int" }
  | { kind: "optional"; elements: PatternElement[] };

/** A keyword (`parts` = its underscore-separated words) or a punctuation mark (`parts` = null). */
export interface TokenOption {
  text: string;
  parts: string[] | null;
}

export type FormEmit =
  | { kind: "syntax" }
  | { kind: "call"; name: string; registered: boolean }
  | { kind: "render"; render: (values: string[], args: readonly FormArg[]) => string };

export interface KeywordForm {
  /** The pattern, as written in the table; unique. */
  id: string;
  /** The leading keywords, for messages (`SEND MAIL`). */
  phrase: string;
  elements: PatternElement[];
  emit: FormEmit;
  /** Shown as a warning wherever the form is used. */
  warning: string | null;
  /** Number of keyword words before the first argument; more specific forms are tried first. */
  specificity: number;
  /** Number of leading keyword elements (the phrase). */
  phraseLength: number;
}

/** Functions the runtime registers with `register_fn` among §3.3 step 7's targets. */
const REGISTERED_FUNCTIONS = new Set(["USE_KB", "USE_TOOL", "USE_WEBSITE", "CLEAR_KB", "SET_BOT_MEMORY", "GET_BOT_MEMORY"]);

interface FormOptions {
  call?: string;
  render?: (values: string[], args: readonly FormArg[]) => string;
  warning?: string;
}

const asSuggestion = (keyword: string) => (v: string[]) => (v.length === 1 ? `${keyword} ${v[0]}` : `${keyword} ${v[0]} as ${v[1]}`);

/** `LLM "…"` gets ` WITH OPTIMIZE FOR "speed"` appended when it has none (§3.3 step 2). */
function renderLlm(values: string[], args: readonly FormArg[]): string {
  const prompt = args.find((a) => a.kind === "expr");
  const startsWithString = prompt?.kind === "expr" && leftmost(prompt.expr).kind === "string";
  return startsWithString ? `LLM ${values[0]} WITH OPTIMIZE FOR "speed"` : `LLM ${values[0]}`;
}

function leftmost(expr: Expr): Expr {
  let e = expr;
  for (;;) {
    if (e.kind === "binary") e = e.left;
    else if (e.kind === "paren") e = e.inner;
    else return e;
  }
}

const TABLE: Array<[string, FormOptions?]> = [
  // ── dialog ──
  ["TALK TO $expr , $expr"],
  ["TALK $expr"],
  ["PRINT $expr"],
  ["WAIT FOR EVENT $string TIMEOUT $int"],
  ["WAIT $expr"],
  ["HEAR $ident AS $expr"],
  ["HEAR $ident"],
  ["SET CONTEXT $expr AS $expr"],
  ["SET CONTEXT $expr , $expr", { call: "SET_CONTEXT" }],
  ["SET USER MEMORY $expr , $expr"],
  ["SET USER $expr", { call: "SET_USER" }],
  ["ADD_SUGGESTION_TOOL $expr AS|, $expr", { render: asSuggestion("ADD_SUGGESTION_TOOL") }],
  ["ADD_SUGGESTION_TEXT $expr AS|, $expr", { render: asSuggestion("ADD_SUGGESTION_TEXT") }],
  ["ADD_SUGGESTION $expr AS|, $expr", { render: asSuggestion("ADD_SUGGESTION") }],
  ["ADD_SUGGESTION $expr", { render: asSuggestion("ADD_SUGGESTION") }],
  ["CLEAR SUGGESTIONS", { call: "CLEAR_SUGGESTIONS" }],
  ["ADD_SWITCHER $expr AS|, $expr", { render: asSuggestion("ADD_SWITCHER") }],
  ["CLEAR SWITCHERS", { call: "CLEAR_SWITCHERS" }],
  // ── control flow (FOR EACH, WHILE, DO, EXIT, CALL, RETURN, GOTO are parsed as statements) ──
  ["ON ERROR GOTO $ident"],
  ["ON ERROR RESUME NEXT"],
  ["CLEAR ERROR"],
  ["ERROR MESSAGE"],
  // ── knowledge base / AI ──
  ["USE KB $expr", { call: "USE_KB" }],
  ["CLEAR KB $expr"],
  ["CLEAR KB", { call: "CLEAR_KB" }],
  ["THINK KB $expr"],
  ["USE TOOL $expr", { call: "USE_TOOL" }],
  [
    "ADD TOOL $expr",
    { call: "USE_TOOL", warning: "ADD TOOL has no registered syntax in the botserver runtime; it is compiled as USE TOOL" },
  ],
  ["CLEAR TOOLS", { call: "CLEAR_TOOLS" }],
  ["CLEAR WEBSITES", { call: "CLEAR_WEBSITES" }],
  ["USE MODEL $expr", { call: "USE_MODEL" }],
  ["SET MODEL ROUTING $expr"],
  ["LLM $expr WITH OPTIMIZE FOR $expr"],
  ["LLM $expr", { render: renderLlm }],
  ["SUMMARIZE $expr"],
  ["CALCULATE $expr , $expr"],
  ["VALIDATE $expr , $expr"],
  ["TRANSLATE $expr , $expr"],
  ["CLASSIFY $expr , $expr"],
  ["SENTIMENT $expr"],
  ["OCR $expr"],
  ["REMEMBER USER FACT $expr"],
  ["REMEMBER $expr , $expr , $expr"],
  ["RECALL $expr"],
  ["REFLECT ON $expr"],
  ["SET BOT REFLECTION $expr"],
  ["RUN PYTHON|JAVASCRIPT WITH FILE $expr"],
  ["RUN PYTHON|JAVASCRIPT|JS|BASH $expr"],
  ["ORCHESTRATE WORKFLOW $string"],
  ["STEP $int : BOT $string $string"],
  ["ON EVENT $string DO"],
  ["ON EVENT $string", { call: "ON_EVENT" }],
  ["PUBLISH EVENT $string"],
  ["BOT SHARE MEMORY $string WITH $string"],
  ["BOT SYNC MEMORY FROM $string"],
  ["QR_CODE $expr , $expr , $expr"],
  ["QR CODE $expr [ , $expr ]"],
  // ── memory ──
  ["SET BOT MEMORY $expr , $expr", { call: "SET_BOT_MEMORY" }],
  ["GET BOT MEMORY $expr", { call: "GET_BOT_MEMORY" }],
  ["CLEAR USER MEMORY"],
  // ── data ──
  ["FIND $expr , $expr"],
  ["SEARCH PRODUCTS $expr [ , $expr ]"],
  ["SEARCH $expr , $expr [ , $expr ]"],
  ["SAVE FROM UNSTRUCTURED $expr , $expr"],
  ["SAVE $expr , $expr , $expr"],
  ["SAVE $expr , $expr", { render: (v) => `INSERT ${v[0]}, ${v[1]}` }],
  ["INSERT $expr , $expr"],
  ["UPDATE $expr , $expr , $expr"],
  ["DELETE HTTP $expr"],
  ["DELETE FILE $expr"],
  ["DELETE POST $expr"],
  ["DELETE $expr [ , $expr ]"],
  ["MERGE PDF $expr , $expr"],
  ["MERGE $expr , $expr , $expr"],
  ["FILTER|MAP|FILL $expr , $expr"],
  ["AGGREGATE|JOIN|PIVOT $expr , $expr , $expr"],
  ["GROUP_BY $expr , $expr"],
  ["IMPORT $expr"],
  ["EXPORT $expr , $expr"],
  ["DETECT $expr"],
  ["FIRST $expr"],
  ["LAST ( $expr )"],
  ["SCAN BARCODE $expr"],
  ["USE ACCOUNT $expr"],
  ["GET FACEBOOK|INSTAGRAM|LINKEDIN|TWITTER METRICS $expr"],
  ["GET ATTENDANTS WITH STATUS $expr"],
  ["GET ATTENDANTS"],
  ["GET ATTENDANT STATS $exprs"],
  ["GET QUEUE $exprs"],
  ["GET CUSTOMER HISTORY $exprs"],
  ["GET SMART REPLIES $exprs"],
  ["GET SUMMARY $exprs"],
  ["GET TIPS $exprs"],
  ["GET $ident POSTS"],
  ["GET $expr"],
  ["SET_HEADER $expr , $expr"],
  ["SET PRIORITY $expr TO $expr"],
  ["SET ATTENDANT STATUS $expr TO $expr"],
  ["SET BOT PRIORITY $expr , $expr"],
  ["SET $expr , $expr , $expr"],
  // ── HTTP / web ──
  ["POST TO $expr [ AT $expr ] $expr , $expr"],
  ["POST|PUT|PATCH $expr , $expr"],
  ["CLEAR_HEADERS"],
  ["GRAPHQL $expr , $expr , $expr"],
  ["SOAP $expr , $expr , $expr"],
  ["RSS $expr [ , $expr ]"],
  ["SCRAPE_ALL|SCRAPE_TABLE|SCRAPE_LINKS|SCRAPE_IMAGES $exprs"],
  ["SCRAPE $expr , $expr"],
  ["WEATHER $expr"],
  ["FORECAST $expr , $expr"],
  // ── files ──
  ["READ $expr"],
  ["WRITE|COPY|MOVE|COMPRESS|EXTRACT|UPLOAD|DOWNLOAD $expr , $expr"],
  ["LIST BOTS"],
  ["LIST $expr"],
  ["GENERATE PDF $expr , $expr , $expr"],
  // ── communication ──
  ["SEND MAIL $expr , $expr , $expr , $expr USING $expr"],
  ["SEND MAIL $expr , $expr , $expr , $expr", { call: "SEND_MAIL" }],
  ["SEND EMAIL $expr , $expr , $expr", { render: (v) => `send_mail(${v[0]}, ${v[1]}, ${v[2]}, [])` }],
  ["SEND_TEMPLATE $expr , $expr , $expr"],
  ["SEND_SMS $expr , $expr [ , $expr [ , $expr ] ]"],
  ["SEND FILE TO $expr , $expr [ , $expr ]"],
  ["SEND TO $expr , $expr"],
  ["BROADCAST $expr TO $expr"],
  ["CREATE DRAFT $expr , $expr , $expr , $expr", { call: "CREATE_DRAFT" }],
  ["CREATE_DRAFT $expr , $expr , $expr"],
  ["BOOK $expr , $expr , $expr , $expr , $expr"],
  ["BOOK $expr", { call: "BOOK" }],
  ["BOOK_MEETING $exprs"],
  ["CHECK_AVAILABILITY $exprs"],
  ["ADD_MEMBER $expr , $expr , $expr"],
  ["ADD MEMBER $expr , $expr", { call: "ADD_MEMBER" }],
  ["CREATE_TEAM $exprs"],
  ["POLISH MESSAGE $exprs"],
  ["ANALYZE SENTIMENT $exprs"],
  ["PLAY $expr [ WITH OPTIONS $expr ]"],
  ["PAUSE"],
  ["RESUME"],
  ["STOP"],
  ["ON EMAIL $string FROM|SUBJECT $string"],
  ["ON EMAIL $string", { call: "ON_EMAIL" }],
  ["ON FORM SUBMIT $expr", { call: "ON_FORM_SUBMIT" }],
  ["ON $ident OF $string"],
  // ── multi-agent ──
  ["ADD BOT $expr WITH TRIGGER|TOOLS|SCHEDULE $expr"],
  ["REMOVE BOT $expr"],
  ["DELEGATE TO $expr"],
  // ── CRM / attendance ──
  ["ADD NOTE $expr TO $expr"],
  ["ASSIGN CONVERSATION $expr TO $expr"],
  ["RESOLVE CONVERSATION $expr [ WITH $expr ]"],
  ["TAG CONVERSATION $expr WITH $expr"],
  ["NEXT IN QUEUE"],
  // ── tasks ──
  ["CREATE_TASK $expr , $expr , $expr , $expr"],
  ["CREATE TASK $expr", { call: "CREATE_TASK" }],
  ["ASSIGN_SMART $exprs"],
  ["CREATE SITE $expr , $expr , $expr"],
  ["CREATE SITE $expr", { call: "CREATE_SITE" }],
];

// ── pattern compilation ─────────────────────────────────────────────────────────────────────────────

const PUNCT_IN_PATTERNS = new Set([",", ":", "(", ")"]);

function compilePattern(pattern: string): PatternElement[] {
  const words = pattern.split(" ");
  let i = 0;
  const group = (): PatternElement[] => {
    const out: PatternElement[] = [];
    while (i < words.length) {
      const w = words[i++]!;
      if (w === "]") return out;
      if (w === "[") out.push({ kind: "optional", elements: group() });
      else if (w === "$expr") out.push({ kind: "expr" });
      else if (w === "$exprs") out.push({ kind: "exprs" });
      else if (w === "$ident") out.push({ kind: "ident" });
      else if (w === "$string") out.push({ kind: "string" });
      else if (w === "$int") out.push({ kind: "int" });
      else {
        out.push({
          kind: "token",
          options: w.split("|").map((text) => ({ text, parts: PUNCT_IN_PATTERNS.has(text) ? null : text.split("_") })),
        });
      }
    }
    return out;
  };
  return group();
}

function buildForm([pattern, options = {}]: [string, FormOptions?]): KeywordForm {
  const elements = compilePattern(pattern);
  const leading: string[] = [];
  let specificity = 0;
  for (const el of elements) {
    if (el.kind !== "token" || el.options[0]?.parts === null) break;
    leading.push(el.options.map((o) => o.text).join("|"));
    specificity += el.options[0]?.parts?.length ?? 0;
  }
  let emit: FormEmit = { kind: "syntax" };
  let warning = options.warning ?? null;
  if (options.call !== undefined) {
    const registered = REGISTERED_FUNCTIONS.has(options.call);
    emit = { kind: "call", name: options.call, registered };
    if (!registered && warning === null) {
      warning = `Compiled to ${options.call}(…) as the botserver does (§3.3 step 7), but the botserver runtime registers no ${options.call} function: this line fails when it runs`;
    }
  } else if (options.render !== undefined) {
    emit = { kind: "render", render: options.render };
  }
  return { id: pattern, phrase: leading.join(" ").replace(/_/g, " "), elements, emit, warning, specificity, phraseLength: leading.length };
}

export const KEYWORD_FORMS: readonly KeywordForm[] = TABLE.map(buildForm);

/** Forms by the first word of their phrase, most specific first (then table order). */
const BY_FIRST_WORD = new Map<string, KeywordForm[]>();
for (const form of KEYWORD_FORMS) {
  const first = form.elements[0];
  if (first?.kind !== "token") throw new Error(`keyword form without a leading keyword: ${form.id}`);
  for (const option of first.options) {
    const key = option.parts?.[0] ?? option.text;
    const list = BY_FIRST_WORD.get(key) ?? [];
    list.push(form);
    BY_FIRST_WORD.set(key, list);
  }
}
for (const list of BY_FIRST_WORD.values()) list.sort((a, b) => b.specificity - a.specificity);

const NONE: readonly KeywordForm[] = [];

/** Candidate forms for a statement or expression that starts with the word `upper` (its first `_` part). */
export function formsStartingWith(upper: string): readonly KeywordForm[] {
  return BY_FIRST_WORD.get(upper) ?? NONE;
}

export function formById(id: string): KeywordForm {
  const form = KEYWORD_FORMS.find((f) => f.id === id);
  if (form === undefined) throw new Error(`no keyword form ${id}`);
  return form;
}
