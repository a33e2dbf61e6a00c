/**
 * The corpus (corpus/<template>/<script>.bas): scripts written the way public General Bots templates are
 * written — tool headers, dialogs, schedulers, tables — including the constructs the botserver runtime
 * cannot run. Measured the way the real templates are:
 *   - at least 80% yield an .ast that loads in the runtime's engine and calls only what exists;
 *   - a script that does not compile has one error per failing line, each naming its construct;
 *   - every string literal of the .bas reaches the .ast with the same value;
 *   - the tool definitions are the ones the botserver would write (its own PARAM / DESCRIPTION rules,
 *     re-implemented here), except where a documented fix applies (a bare LIKE value is the example).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileBasic, type CompiledScript } from "../../../src/core/basic/compile.js";
import { RHAICHECK_ABSENT, RHAICHECK_PRESENT, rhaicheckProblem, rhaicheckSources } from "../../harness/rhaicheck.js";

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), "corpus");

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const path = join(dir, f);
      return statSync(path).isDirectory() ? walk(path) : f.endsWith(".bas") ? [path] : [];
    });
}

interface Script {
  id: string;
  source: string;
  result: CompiledScript;
}

const scripts: Script[] = walk(CORPUS).map((path) => {
  const source = readFileSync(path, "utf8");
  const name = path.slice(path.lastIndexOf("/") + 1, -4);
  return { id: relative(CORPUS, path), source, result: compileBasic(source, { name }) };
});

describe("corpus of template-like scripts", () => {
  it("has at least 40 scripts from at least 15 templates", () => {
    expect(scripts.length).toBeGreaterThanOrEqual(40);
    expect(new Set(scripts.map((s) => s.id.split("/")[0])).size).toBeGreaterThanOrEqual(15);
  });

  it("a script that does not compile has one error per failing line, and each names its construct", () => {
    const problems: string[] = [];
    for (const s of scripts.filter((x) => !x.result.ok)) {
      const lines = s.source.split("\n");
      const errors = s.result.diagnostics.filter((d) => d.severity === "error");
      const perLine = new Map<number, number>();
      for (const e of errors) perLine.set(e.line, (perLine.get(e.line) ?? 0) + 1);
      for (const [line, n] of perLine) if (n > 1) problems.push(`${s.id}:${line}: ${n} errors on one line`);
      for (const e of errors) {
        const construct = e.message.slice(0, e.message.indexOf(":"));
        const text = (lines[e.line - 1] ?? "").toUpperCase().replace(/\s+/g, " ");
        if (construct === "" || !text.includes(construct.toUpperCase())) problems.push(`${s.id}:${e.line}: "${e.message}" does not name a construct of the line`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("every string literal of a compiled .bas reaches the .ast with the same value", () => {
    const problems: string[] = [];
    for (const s of scripts.filter((x) => x.result.ok)) {
      const ast = [...rhaiLiterals(s.result.ast!)];
      const remaining = new Map<string, number>();
      for (const v of ast) remaining.set(v, (remaining.get(v) ?? 0) + 1);
      for (const { value, line } of basicLiterals(s.source)) {
        const n = remaining.get(value) ?? 0;
        if (n === 0) problems.push(`${s.id}:${line}: ${JSON.stringify(value)} is not in the .ast`);
        else remaining.set(value, n - 1);
      }
    }
    expect(problems).toEqual([]);
  });

  it("tool definitions equal the botserver's for at least 95% of the scripts, and all of them once the bare-LIKE fix is applied", () => {
    let equal = 0;
    const problems: string[] = [];
    for (const s of scripts) {
      const name = s.id.slice(s.id.lastIndexOf("/") + 1, -4);
      if (sameJson(s.result.tool, botserverTool(name, s.source, false))) equal++;
      if (!sameJson(s.result.tool, botserverTool(name, s.source, true))) {
        problems.push(`${s.id}: ${JSON.stringify(s.result.tool.openai)} ≠ ${JSON.stringify(botserverTool(name, s.source, true).openai)}`);
      }
    }
    expect(problems).toEqual([]);
    expect(equal / scripts.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe.skipIf(!RHAICHECK_PRESENT)(`corpus in the runtime's engine${RHAICHECK_PRESENT ? "" : ` (${RHAICHECK_ABSENT})`}`, () => {
  it("at least 80% of the scripts yield an .ast that loads and calls only what exists; every .ast written loads", () => {
    const compiled = new Map(scripts.filter((s) => s.result.ast !== null).map((s) => [s.id, s.result.ast!]));
    const checks = rhaicheckSources(compiled);
    const good: string[] = [];
    const notLoading: string[] = [];
    for (const [id, check] of checks) {
      const problem = rhaicheckProblem(check);
      if (problem === null) good.push(id);
      else if (!check.loads || check.empty) notLoading.push(`${id} ${problem}`);
    }
    // Never an .ast that does not load: a call the runtime lacks is only a warning (and fails when run).
    expect(notLoading).toEqual([]);
    const rate = good.length / scripts.length;
    const failing = scripts.filter((s) => !good.includes(s.id)).map((s) => s.id);
    expect(rate, `loads and calls only what exists: ${good.length}/${scripts.length}; the others: ${failing.join(", ")}`).toBeGreaterThanOrEqual(0.8);
  });
});

// ── independent readers (not the compiler's) ────────────────────────────────────────────────────────

/** Rhai's escapes in "…" strings. */
function decodeRhai(inner: string): string {
  return inner.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_m, e: string) => {
    if (e.length > 1) return String.fromCodePoint(Number.parseInt(e.slice(1), 16));
    return ({ n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" } as Record<string, string>)[e] ?? `\\${e}`;
  });
}

function* rhaiLiterals(ast: string): Generator<string> {
  for (const m of ast.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)) yield decodeRhai(m[1]!);
}

/** Lines whose strings are used when the script is compiled, not written to the .ast. */
const COMPILE_TIME = /^\s*(PARAM|DESCRIPTION|SET SCHEDULE|WEBHOOK|CALL)\b/i;

/** Double-quoted literals of BASIC statements (BASIC's "" and Rhai's escapes), outside comments and blocks. */
function basicLiterals(source: string): Array<{ value: string; line: number }> {
  const out: Array<{ value: string; line: number }> = [];
  let block: "text" | "table" | null = null;
  source.split("\n").forEach((text, i) => {
    const t = text.trim();
    if (block !== null) {
      if (/^END\s+(TALK|MAIL|SYSTEM\s+PROMPT|TABLE)\b/i.test(t)) block = null;
      return;
    }
    if (/^BEGIN\s+(TALK|SYSTEM\s+PROMPT)\b/i.test(t)) block = "text";
    else if (/^BEGIN\s+MAIL\b/i.test(t)) block = "text";
    else if (/^TABLE\b/i.test(t)) block = "table";
    if (block !== null && !/^BEGIN\s+MAIL\b/i.test(t)) return;
    if (t.startsWith("'") || t.startsWith("//") || /^REM\b/i.test(t) || COMPILE_TIME.test(t)) return;
    for (const m of text.matchAll(/"((?:[^"\\]|\\.|"")*)"|'[^\n]*$/g)) {
      if (m[1] === undefined) break; // a comment: the rest of the line
      out.push({ value: decodeRhai(m[1].replaceAll('""', '\\"')), line: i + 1 });
    }
  });
  return out;
}

// ── the botserver's tool definition rules, as its compiler applies them ──────────────────────────────

type Json = Record<string, unknown>;

function normalizeType(t: string): string {
  const lower = t.toLowerCase();
  if (["integer", "int", "number"].includes(lower)) return "integer";
  if (["float", "double", "decimal"].includes(lower)) return "number";
  if (["boolean", "bool"].includes(lower)) return "boolean";
  if (["array", "list"].includes(lower)) return "array";
  if (["object", "map"].includes(lower)) return "object";
  return "string";
}

/**
 * Only lines starting `PARAM ` (upper case) count; fewer than 4 words and the PARAM is dropped; the type
 * is the word after `AS`; the example is the first quoted text after the first `LIKE` (with `fixed`, a
 * bare value right after LIKE instead); ENUM `[…]` is split on commas; the description runs from after
 * `DESCRIPTION` to the last quote; the tool description is the last `DESCRIPTION "…"` line.
 */
function botserverTool(name: string, source: string, fixed: boolean): { mcp: Json; openai: Json } {
  const params: Array<{ name: string; type: string; example?: string; enumValues?: string[]; description: string }> = [];
  let toolDescription = "";
  for (const raw of source.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("DESCRIPTION ")) {
      const first = line.indexOf('"');
      const last = line.lastIndexOf('"');
      if (first >= 0 && last > first) toolDescription = line.slice(first + 1, last);
      continue;
    }
    if (!line.startsWith("PARAM ")) continue;
    const words = line.split(/\s+/);
    if (words.length < 4) continue;
    const asAt = words.indexOf("AS");
    const param: (typeof params)[number] = { name: words[1]!, type: asAt >= 0 && words[asAt + 1] ? words[asAt + 1]!.toLowerCase() : "string", description: "" };
    const likeAt = line.indexOf("LIKE");
    if (likeAt >= 0) {
      const after = line.slice(likeAt + 4);
      const bare = /^\s+([^\s"]+)/.exec(after);
      if (fixed && bare !== null && !["DESCRIPTION", "ENUM", "AS"].includes(bare[1]!)) param.example = bare[1]!;
      else {
        const quoted = /"([^"]*)"/.exec(after);
        if (quoted !== null) param.example = quoted[1]!;
      }
    }
    const enumAt = line.indexOf("ENUM");
    if (enumAt >= 0) {
      const list = /\[([^\]]*)\]/.exec(line.slice(enumAt));
      if (list !== null) param.enumValues = list[1]!.split(",").map((v) => v.trim().replace(/^["']|["']$/g, ""));
    }
    const descriptionAt = line.indexOf("DESCRIPTION");
    if (descriptionAt >= 0) {
      const after = line.slice(descriptionAt + "DESCRIPTION".length);
      const first = after.indexOf('"');
      const last = after.lastIndexOf('"');
      if (first >= 0 && last > first) param.description = after.slice(first + 1, last);
    }
    params.push(param);
  }
  const properties = (withEnum: boolean) =>
    Object.fromEntries(
      params.map((p) => [
        p.name,
        {
          type: normalizeType(p.type),
          description: p.description,
          ...(p.example !== undefined ? { example: p.example } : {}),
          ...(withEnum && p.enumValues !== undefined ? { enum: p.enumValues } : {}),
          ...(p.type === "date" ? { format: "date" } : {}),
        },
      ]),
    );
  const required = params.map((p) => p.name);
  return {
    mcp: { name, description: toolDescription, input_schema: { type: "object", properties: properties(false), required } },
    openai: { type: "function", function: { name, description: toolDescription, parameters: { type: "object", properties: properties(true), required } } },
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, x]) => [k, sort(x)])) : v;
  return JSON.stringify(sort(a)) === JSON.stringify(sort(b));
}
