/**
 * Fuzz: ≥ 100,000 generated and mutated scripts. For every input: no exception escapes, the call returns
 * within a bound, the result is consistent (ok ⇔ no error, ast ⇔ ok) and every diagnostic points inside
 * the file (1 ≤ line ≤ lineCount + 1, column ≥ 1). A seeded PRNG makes every failure reproducible: the
 * failure message names the case number and the input.
 */
import { describe, it, expect } from "vitest";
import { compileBasic, type CompiledScript } from "../../src/core/basic/compile.js";
import { RHAICHECK_ABSENT, RHAICHECK_PRESENT, rhaicheckProblem, rhaicheckSources } from "../harness/rhaicheck.js";
import { fuzzInputs } from "../unit/basic/fuzz-inputs.js";
import { deepScripts, validScripts } from "../unit/basic/valid-scripts.js";

const SEED = Number(process.env.BASIC_FUZZ_SEED ?? 20260519);
const CASES = Number(process.env.BASIC_FUZZ_CASES ?? 100_000);
/** No single input may take longer than this (a hang or a quadratic blow-up), even on a loaded machine. */
const MAX_MS_PER_INPUT = 2_000;
const VALID_CASES = Number(process.env.BASIC_VALID_CASES ?? 10_000);
const DEEP_CASES = Number(process.env.BASIC_DEEP_CASES ?? 2_000);

/** The .ast of every fuzz input that compiled (checked in the runtime's engine below). */
const fuzzAsts = new Map<string, string>();

function lineCountOf(source: string): number {
  let n = 1;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13 && source.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

function check(source: string, result: CompiledScript): string | null {
  const lines = lineCountOf(source);
  const hasError = result.diagnostics.some((d) => d.severity === "error");
  if (result.ok === hasError) return `ok=${result.ok} but errors=${hasError}`;
  if ((result.ast === null) === result.ok) return `ast ${result.ast === null ? "missing" : "present"} with ok=${result.ok}`;
  for (const d of result.diagnostics) {
    if (!Number.isInteger(d.line) || d.line < 1 || d.line > lines + 1) return `line ${d.line} outside 1..${lines + 1}: ${d.message}`;
    if (!Number.isInteger(d.column) || d.column < 1) return `column ${d.column} < 1: ${d.message}`;
    if (d.endLine !== undefined && (d.endLine < d.line || d.endLine > lines + 1)) return `endLine ${d.endLine} for line ${d.line}`;
    if (d.endColumn !== undefined && d.endLine === d.line && d.endColumn < d.column) return `endColumn ${d.endColumn} < column ${d.column}`;
    if (typeof d.message !== "string" || d.message === "") return "empty message";
  }
  if (typeof result.tool.mcp !== "object" || typeof result.tool.openai !== "object") return "tool definitions missing";
  if (result.ast !== null && !bracesBalance(result.ast)) return `unbalanced braces in the .ast:\n${result.ast.slice(0, 2000)}`;
  return null;
}

/** `{`/`}` outside string literals balance in every emitted .ast (blocks are opened and closed in pairs). */
function bracesBalance(ast: string): boolean {
  let depth = 0;
  for (let i = 0; i < ast.length; i++) {
    const c = ast[i];
    if (c === '"' || c === "`") {
      for (i++; i < ast.length && ast[i] !== c; i++) if (ast[i] === "\\") i++;
    } else if (c === "{") depth++;
    else if (c === "}" && --depth < 0) return false;
  }
  return depth === 0;
}

describe("fuzz", () => {
  it(`${CASES.toLocaleString("en")} generated and mutated inputs (seed ${SEED})`, () => {
    let slowest = 0;
    let failure: string | null = null;
    let compiledOk = 0;
    const started = performance.now();
    let n = -1;
    for (const source of fuzzInputs(SEED, CASES)) {
      n++;
      if (failure !== null) break;
      const t0 = performance.now();
      let result: CompiledScript;
      try {
        result = compileBasic(source, { name: "fuzz" });
      } catch (e) {
        failure = `case ${n}: threw ${(e as Error).stack ?? String(e)}\ninput: ${JSON.stringify(source.slice(0, 2000))}`;
        break;
      }
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      if (ms > MAX_MS_PER_INPUT) failure = `case ${n}: took ${ms.toFixed(0)} ms\ninput: ${JSON.stringify(source.slice(0, 2000))}`;
      const problem = check(source, result);
      if (problem !== null) failure = `case ${n}: ${problem}\ninput: ${JSON.stringify(source.slice(0, 2000))}`;
      if (result.ok) {
        compiledOk++;
        fuzzAsts.set(`case ${n}: ${JSON.stringify(source.slice(0, 500))}`, result.ast!);
      }
    }
    const totalMs = performance.now() - started;
    expect(failure).toBeNull();
    // The mix must exercise both paths: valid programs and broken ones.
    expect(compiledOk).toBeGreaterThan(CASES * 0.1);
    expect(compiledOk).toBeLessThan(CASES * 0.9);
    // Sane total time (≈ 2 s on an idle 2-core machine); generous for loaded CI runners.
    expect(totalMs).toBeLessThan(120_000);
    expect(slowest).toBeLessThan(MAX_MS_PER_INPUT);
  }, 180_000);

  it.skipIf(!RHAICHECK_PRESENT)(`every .ast a fuzz input compiled to loads in the runtime's engine${RHAICHECK_PRESENT ? "" : ` (${RHAICHECK_ABSENT})`}`, () => {
    expect(fuzzAsts.size).toBeGreaterThan(CASES * 0.1);
    // Mutated scripts may call functions the runtime lacks (a warning); what must never happen is an
    // .ast that does not load.
    const problems = [...rhaicheckSources(fuzzAsts)].flatMap(([name, check]) => (check.loads && !check.empty ? [] : [`${name}: ${rhaicheckProblem(check)}`]));
    expect(problems.slice(0, 5)).toEqual([]);
  }, 300_000);
});

describe.skipIf(!RHAICHECK_PRESENT)(`generated valid scripts in the runtime's engine${RHAICHECK_PRESENT ? "" : ` (${RHAICHECK_ABSENT})`}`, () => {
  it(`${VALID_CASES.toLocaleString("en")} generated valid scripts compile, load and call only what exists (seed ${SEED})`, () => {
    const asts = new Map<string, string>();
    const errors: string[] = [];
    let n = 0;
    for (const source of validScripts(SEED, VALID_CASES)) {
      const result = compileBasic(source, { name: "valid" });
      const first = result.diagnostics.find((d) => d.severity === "error");
      if (first !== undefined) errors.push(`script ${n}, line ${first.line}: ${first.message}\n${source.split("\n")[first.line - 1]}`);
      else asts.set(`script ${n}:\n${source}`, result.ast!);
      n++;
    }
    expect(errors.slice(0, 5)).toEqual([]);
    const problems = [...rhaicheckSources(asts)].flatMap(([name, check]) => {
      const problem = rhaicheckProblem(check);
      return problem === null ? [] : [`${problem}\n${name}\n${asts.get(name)}`];
    });
    expect(problems.slice(0, 3)).toEqual([]);
    expect(asts.size).toBe(VALID_CASES);
  }, 300_000);

  it(`the depth check never lets through what the runtime's parser rejects (${DEEP_CASES.toLocaleString("en")} deep scripts)`, () => {
    const asts = new Map<string, string>();
    let refused = 0;
    let n = 0;
    for (const source of deepScripts(SEED, DEEP_CASES)) {
      const result = compileBasic(source, { name: "deep" });
      if (result.ok) asts.set(`script ${n}:\n${source}`, result.ast!);
      else if (result.diagnostics.some((d) => d.code === "too-complex")) refused++;
      n++;
    }
    const problems = [...rhaicheckSources(asts)].flatMap(([name, check]) => (check.loads ? [] : [`${check.error}\n${name}`]));
    expect(problems.slice(0, 3)).toEqual([]);
    // Both sides are exercised: scripts the check refuses, and deep scripts it lets through.
    expect(refused).toBeGreaterThan(DEEP_CASES * 0.01);
    expect(asts.size).toBeGreaterThan(DEEP_CASES * 0.3);
  }, 300_000);
});
