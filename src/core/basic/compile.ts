/**
 * The BASIC compiler's entry point: a `.bas` source → the `.ast` text, the tool definitions, the
 * compile-time registrations (SET SCHEDULE, WEBHOOK, USE WEBSITE, TABLE) and every diagnostic.
 * Pure: no I/O, no Node APIs (runs in workerd too).
 */
import { BotsyncError } from "../errors.js";
import { DiagnosticSink, type BasicDiagnostic } from "./diagnostics.js";
import { emitRhai } from "./emit-rhai.js";
import { insertEnumSuggestions } from "./enum-suggestions.js";
import { parseBasic } from "./parser.js";
import { FUNCTION_BUDGET, TOP_LEVEL_BUDGET } from "./rhai-depth.js";
import { SCRIPT_NAME_COLUMN_WIDTH } from "./schedule.js";
import { checkProgram } from "./semantic-checks.js";
import type { Program, TableDefinition } from "./syntax-tree.js";
import { forEachStatement } from "./syntax-walk.js";
import { buildToolDefinition, type McpTool, type OpenAiTool } from "./tool-definition.js";

export type { BasicDiagnostic } from "./diagnostics.js";
export type { McpTool, OpenAiTool, ToolProperty, ToolSchema } from "./tool-definition.js";
export type { TableDefinition, TableField } from "./syntax-tree.js";

export interface CompileOptions {
  /** The tool name: the script's file stem (`system_automations.param`, `basic_tools.tool_name`). */
  name: string;
}

export interface CompiledScript {
  /** False when any diagnostic is an error; `ast` is then null and nothing should be written. */
  ok: boolean;
  /** The Rhai text to write as `{name}.ast`. */
  ast: string | null;
  /** Every error in the file (the parser recovers) and every warning, in file order. */
  diagnostics: BasicDiagnostic[];
  /** Contents of `{name}.mcp.json` and `{name}.tool.json` (always present, even without PARAMs). */
  tool: { mcp: McpTool; openai: OpenAiTool };
  /** SET SCHEDULE lines, as validated cron strings (only the valid ones). */
  schedules: Array<{ cron: string; source: string; line: number }>;
  /** WEBHOOK lines. */
  webhooks: Array<{ endpoint: string; line: number }>;
  /** USE WEBSITE lines with a literal URL (default refresh "1m"). */
  websites: Array<{ url: string; refresh: string; line: number }>;
  /** TABLE … END TABLE definitions. */
  tables: TableDefinition[];
}

/** OpenAI function names: letters, digits, `_` and `-`, at most 64. */
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function compileBasic(source: string, options: CompileOptions): CompiledScript {
  if (typeof source !== "string") throw new BotsyncError("BAD_REQUEST", "BASIC source must be a string");
  const name = options.name;
  if (typeof name !== "string" || name.trim() === "") throw new BotsyncError("BAD_REQUEST", "A script needs a name (its file stem)");

  const sink = new DiagnosticSink();
  const { program } = parseBasic(source, sink);
  checkProgram(program, sink);
  const start = { line: 1, column: 1, endLine: 1, endColumn: 1 };
  if (!TOOL_NAME.test(name)) {
    sink.warning("invalid-tool-name", `Tool name "${name}" is not a valid function name for LLM tools (letters, digits, _ and -, at most 64)`, start);
  }
  const registrations = collectRegistrations(program, name, sink);
  const tool = buildToolDefinition(name, program);

  let ast: string | null = null;
  if (!sink.hasErrors) {
    insertEnumSuggestions(program.body);
    const emitted = emitRhai(program);
    for (const at of emitted.tooDeep) {
      sink.error(
        "too-complex",
        `This statement nests too deeply for the botserver runtime's parser (Rhai stops at ${TOP_LEVEL_BUDGET} levels, ${FUNCTION_BUDGET} inside a SUB or FUNCTION, and counts every block and every operator of a chain); split the expression or move inner blocks into a SUB`,
        at,
      );
    }
    if (!sink.hasErrors) ast = emitted.text;
  }
  return { ok: !sink.hasErrors, ast, diagnostics: sink.sorted(), tool, ...registrations };
}

function collectRegistrations(program: Program, name: string, sink: DiagnosticSink): Pick<CompiledScript, "schedules" | "webhooks" | "websites" | "tables"> {
  const out: Pick<CompiledScript, "schedules" | "webhooks" | "websites" | "tables"> = { schedules: [], webhooks: [], websites: [], tables: [] };
  forEachStatement(program.body, (s) => {
    switch (s.kind) {
      case "set-schedule":
        if (name.length > SCRIPT_NAME_COLUMN_WIDTH) {
          sink.error(
            "script-name-too-long",
            `Script name "${name}" has ${name.length} characters; system_automations.param holds ${SCRIPT_NAME_COLUMN_WIDTH}, so its schedule cannot be stored`,
            s.span,
          );
        }
        if (s.cron !== null) out.schedules.push({ cron: s.cron, source: s.source, line: s.span.line });
        break;
      case "webhook":
        out.webhooks.push({ endpoint: s.endpoint, line: s.span.line });
        break;
      case "use-website":
        if (s.url.kind === "string" && (s.refresh === null || s.refresh.kind === "string")) {
          out.websites.push({ url: s.url.value, refresh: s.refresh?.kind === "string" ? s.refresh.value : "1m", line: s.span.line });
        }
        break;
      case "table":
        out.tables.push(s.table);
        break;
      default:
        break;
    }
  });
  return out;
}
