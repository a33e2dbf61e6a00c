/**
 * The typed syntax tree of a BASIC script. Every node carries the span of the source it came from.
 * Expressions keep BASIC's operators (the emitter maps them to Rhai); keyword statements keep the
 * keyword form they matched, lowered to what the runtime will run.
 */
import type { Span } from "./diagnostics.js";
import type { EmissionTemplate } from "./emission-template.js";
import type { KeywordForm } from "./keyword-forms.js";

// ── expressions ─────────────────────────────────────────────────────────────────────────────────────

export type BinaryOperator =
  | "or" | "xor" | "and"
  | "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "in" | "not-in"
  | "concat" | "add" | "sub" | "mod" | "mul" | "div" | "pow";

export type UnaryOperator = "neg" | "plus" | "not";

export type Expr =
  | { kind: "number"; span: Span; raw: string }
  /** `raw` is Rhai-ready source text including the quotes; `value` the decoded text. */
  | { kind: "string"; span: Span; raw: string; value: string }
  | { kind: "template"; span: Span; parts: TemplatePart[] }
  | { kind: "bool"; span: Span; value: boolean }
  /** `NULL`: Rhai's unit value `()`. */
  | { kind: "unit"; span: Span }
  | { kind: "identifier"; span: Span; name: string }
  | { kind: "unary"; span: Span; op: UnaryOperator; operand: Expr }
  | { kind: "binary"; span: Span; op: BinaryOperator; left: Expr; right: Expr }
  | { kind: "paren"; span: Span; inner: Expr }
  | { kind: "call"; span: Span; callee: Expr; args: Expr[] }
  | { kind: "member"; span: Span; object: Expr; name: string }
  | { kind: "index"; span: Span; object: Expr; index: Expr }
  | { kind: "array"; span: Span; items: Expr[] }
  | { kind: "map"; span: Span; entries: MapEntry[] }
  /** A keyword form used as a value, e.g. `x = FIND "t", "f"`, as the runtime will run it. */
  | { kind: "keyword"; span: Span; form: KeywordForm; lowered: Lowered }
  /** Stands in for an expression that failed to parse (the statement has an error diagnostic). */
  | { kind: "error"; span: Span };

export type TemplatePart = { kind: "text"; raw: string } | { kind: "expr"; expr: Expr };

export interface MapEntry {
  /** The key as written: an identifier or a string literal. */
  key: string;
  value: Expr;
}

/** A keyword form as the `.ast` will hold it: an emission template and the values of its `$1`, `$2` … */
export interface Lowered {
  template: EmissionTemplate;
  values: Expr[];
}

// ── statements ──────────────────────────────────────────────────────────────────────────────────────

export type Stmt =
  | AssignStmt
  | { kind: "expr"; span: Span; expr: Expr }
  | { kind: "keyword"; span: Span; form: KeywordForm; lowered: Lowered }
  | IfStmt
  | SelectStmt
  | ForEachStmt
  | ForToStmt
  | { kind: "while"; span: Span; condition: Expr; body: Stmt[] }
  | DoLoopStmt
  | { kind: "exit"; span: Span; target: ExitTarget; loop: LoopKind | null }
  | { kind: "jump"; span: Span; jump: "break" | "continue" }
  | { kind: "return"; span: Span; value: Expr | null }
  | { kind: "throw"; span: Span; value: Expr }
  | WithStmt
  | { kind: "talk-block"; span: Span; lines: InterpolatedText[] }
  | { kind: "mail-block"; span: Span; to: Expr; subject: InterpolatedText | null; body: InterpolatedText[] }
  | { kind: "system-prompt"; span: Span; lines: InterpolatedText[] }
  | SubStmt
  | { kind: "call-sub"; span: Span; name: string; args: Expr[]; local: boolean }
  | { kind: "goto"; span: Span; label: string; labelSpan: Span }
  | { kind: "label"; span: Span; name: string }
  | ParamStmt
  | { kind: "description"; span: Span; text: string | null }
  | { kind: "set-schedule"; span: Span; source: string; cron: string | null; sourceSpan: Span }
  | { kind: "webhook"; span: Span; endpoint: string }
  /** `ON ERROR RESUME NEXT` (true) / `ON ERROR GOTO 0` (false), for the statements that follow. */
  | { kind: "on-error"; span: Span; resumeNext: boolean }
  | { kind: "use-website"; span: Span; url: Expr; refresh: Expr | null }
  | { kind: "table"; span: Span; table: TableDefinition }
  /** Inserted by the compiler for `PARAM … ENUM [...]` (as the botserver's compiler does). */
  | { kind: "enum-suggestion"; span: Span; value: string };

export interface AssignStmt {
  kind: "assign";
  span: Span;
  target: Expr; // identifier, member or index
  op: "=" | "+=" | "-=" | "*=" | "/=";
  value: Expr;
  /** `LET x = …` / `CONST x = …` written explicitly. */
  declare: "let" | "const" | null;
}

export interface IfStmt {
  kind: "if";
  span: Span;
  branches: Array<{ condition: Expr; body: Stmt[]; span: Span }>;
  elseBody: Stmt[] | null;
  singleLine: boolean;
}

export interface SelectStmt {
  kind: "select";
  span: Span;
  subject: Expr;
  cases: Array<{ tests: CaseTest[]; body: Stmt[]; span: Span }>;
  elseBody: Stmt[] | null;
}

export type CaseTest =
  | { kind: "value"; value: Expr }
  | { kind: "range"; from: Expr; to: Expr }
  | { kind: "is"; op: "eq" | "ne" | "lt" | "le" | "gt" | "ge"; value: Expr };

export interface ForEachStmt {
  kind: "for-each";
  span: Span;
  variable: string;
  iterable: Expr;
  body: Stmt[];
  /** An EXIT FOR / BREAK / CONTINUE leaves it: it runs as Rhai's own `for`, since `break` needs a real loop. */
  exits: boolean;
}

export interface ForToStmt {
  kind: "for-to";
  span: Span;
  variable: string;
  from: Expr;
  to: Expr;
  step: Expr | null;
  body: Stmt[];
}

export interface DoLoopStmt {
  kind: "do-loop";
  span: Span;
  /** Where the test sits (`DO WHILE c … LOOP` vs `DO … LOOP UNTIL c`); null for an endless `DO … LOOP`. */
  test: { position: "pre" | "post"; until: boolean; condition: Expr } | null;
  body: Stmt[];
}

export type LoopKind = "for-each" | "for-to" | "while" | "do";
/** `loop`: a bare EXIT, which leaves the innermost loop. */
export type ExitTarget = "for" | "do" | "while" | "loop" | "sub" | "function";

export interface WithStmt {
  kind: "with";
  span: Span;
  target: string;
  entries: Array<{ key: string; value: Expr; span: Span }>;
}

export interface SubStmt {
  kind: "sub";
  span: Span;
  isFunction: boolean;
  name: string;
  params: string[];
  body: Stmt[];
}

/** A text line of a BEGIN block with `${expr}` parts. */
export interface InterpolatedText {
  span: Span;
  parts: Array<{ kind: "text"; text: string } | { kind: "expr"; expr: Expr }>;
}

/** `PARAM name AS type LIKE "example" ENUM [...] DESCRIPTION "…"` (a tool parameter). */
export interface ParamStmt {
  kind: "param";
  span: Span;
  /** null when the line is not a usable PARAM (the botserver drops those too). */
  param: ToolParam | null;
}

export interface ToolParam {
  name: string;
  /** The BASIC type as written, lower-cased (`string` when absent). */
  basicType: string;
  example: string | null;
  enumValues: string[] | null;
  description: string;
}

export interface TableDefinition {
  name: string;
  /** `TABLE name ON connection`; null when absent. */
  connection: string | null;
  line: number;
  fields: TableField[];
}

export interface TableField {
  name: string;
  type: string;
  /** `string(150)` → 150; `number(10,2)` → 10 and scale 2. */
  length: number | null;
  scale: number | null;
  /** Any further words on the line, upper-cased (e.g. `KEY`, `REFERENCES`, `Customers`). */
  modifiers: string[];
  line: number;
}

export interface Program {
  body: Stmt[];
}
