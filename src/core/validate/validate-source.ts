/**
 * Validate before upload: a `.bas` or a `config.csv` text in, diagnostics and the would-be artifacts out.
 * The same rules the jobs apply, with no side effect — for `POST /api/validate` and `botsync validate`.
 */
import { compileBasic } from "../basic/compile.js";
import { toObjectDiagnostic } from "../config/config-object-job.js";
import { parseConfigCsv } from "../config/parse-config-csv.js";
import { isSensitiveKey, MASKED_VALUE } from "../config/sensitive-keys.js";
import { BotsyncError } from "../errors.js";
import type { ObjectDiagnostic } from "../jobs/job-types.js";
import { stripBom } from "../text/byte-order-mark.js";
import { utf8Text } from "../text/utf8.js";

export type SourceKind = "bas" | "config";

export interface Diagnostic extends ObjectDiagnostic {
  line: number;
  column: number;
}

export type ValidationResult =
  | {
      kind: "bas";
      ok: boolean;
      diagnostics: Diagnostic[];
      artifacts: { ast: string; mcp: unknown; tool: unknown } | null;
      schedules: string[];
    }
  | {
      kind: "config";
      ok: boolean;
      diagnostics: Diagnostic[];
      /** what bot_configuration would hold; secrets masked, marked `encrypted` */
      entries: Array<{ key: string; value: string; type: string; line: number; encrypted: boolean }>;
    };

/** The kind a file name implies: `*.bas`, or `config.csv`. */
export function sourceKindOf(fileName: string): SourceKind | null {
  if (/\.bas$/i.test(fileName)) return "bas";
  if (/(^|\/)config\.csv$/i.test(fileName)) return "config";
  return null;
}

export function validateSource(input: { kind: SourceKind; name: string; text: string | Uint8Array }): ValidationResult {
  if (input.kind === "bas") {
    const text = typeof input.text === "string" ? stripBom(input.text) : utf8Text(input.text);
    if (text === null) return { kind: "bas", ok: false, diagnostics: [invalidUtf8()], artifacts: null, schedules: [] };
    const compiled = compileBasic(text, { name: input.name });
    return {
      kind: "bas",
      ok: compiled.ok,
      diagnostics: compiled.diagnostics,
      artifacts: compiled.ast === null ? null : { ast: compiled.ast, mcp: compiled.tool.mcp, tool: compiled.tool.openai },
      schedules: compiled.schedules.map((s) => s.cron),
    };
  }
  try {
    const parsed = parseConfigCsv(input.text);
    return {
      kind: "config",
      ok: true,
      diagnostics: parsed.diagnostics.map((d) => ({ ...toObjectDiagnostic(d), line: d.line, column: 1 })),
      entries: parsed.entries.map((e) => {
        const encrypted = isSensitiveKey(e.key);
        return { key: e.key, value: encrypted ? MASKED_VALUE : e.value, type: e.type, line: e.line, encrypted };
      }),
    };
  } catch (error) {
    if (error instanceof BotsyncError && error.code === "CONFIG_INVALID_UTF8") {
      const line = typeof error.details?.line === "number" ? error.details.line : 1;
      return { kind: "config", ok: false, diagnostics: [{ ...invalidUtf8(), line, message: error.message }], entries: [] };
    }
    throw error;
  }
}

function invalidUtf8(): Diagnostic {
  return { severity: "error", code: "invalid-utf8", message: "the file is not valid UTF-8; save it as UTF-8", line: 1, column: 1 };
}
