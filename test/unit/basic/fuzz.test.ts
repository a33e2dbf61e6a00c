/**
 * Fuzz: ≥ 100,000 generated and mutated scripts. For every input: no exception escapes, the call returns
 * within a bound, the result is consistent (ok ⇔ no error, ast ⇔ ok) and every diagnostic points inside
 * the file (1 ≤ line ≤ lineCount + 1, column ≥ 1). A seeded PRNG makes every failure reproducible: the
 * failure message names the case number and the input.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it, expect } from "vitest";
import { compileBasic, type CompiledScript } from "../../../src/core/basic/compile.js";

const SEED = Number(process.env.BASIC_FUZZ_SEED ?? 20260519);
const CASES = Number(process.env.BASIC_FUZZ_CASES ?? 100_000);
/** No single input may take longer than this (a hang or a quadratic blow-up), even on a loaded machine. */
const MAX_MS_PER_INPUT = 2_000;

/** mulberry32: small, fast, seedable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const goldenDir = join(dirname(fileURLToPath(import.meta.url)), "golden");
const CORPUS = readdirSync(goldenDir)
  .filter((f) => f.endsWith(".bas"))
  .map((f) => readFileSync(join(goldenDir, f), "utf8"));

const WORDS = [
  "IF", "THEN", "ELSE", "ELSEIF", "END", "ENDIF", "SELECT", "CASE", "FOR", "EACH", "IN", "TO", "STEP", "NEXT", "WHILE", "WEND",
  "DO", "LOOP", "UNTIL", "WITH", "BEGIN", "TALK", "MAIL", "SYSTEM", "PROMPT", "SUB", "FUNCTION", "CALL", "RETURN", "EXIT",
  "GOTO", "ON", "ERROR", "PARAM", "DESCRIPTION", "AS", "LIKE", "ENUM", "SET", "SCHEDULE", "WEBHOOK", "USE", "WEBSITE", "KB",
  "TABLE", "REM", "REMEMBER", "HEAR", "AND", "OR", "NOT", "MOD", "XOR", "TRUE", "FALSE", "LET", "FIND", "LLM", "GET", "BOT",
  "MEMORY", "ADD", "SUGGESTION", "SEND", "x", "y", "list", "label1", "_",
];
const PUNCT = ["(", ")", "[", "]", "{", "}", "#{", ",", ".", ":", ";", "=", "==", "<>", "<", ">", "<=", ">=", "+", "-", "*", "/", "^", "&", "%", "!", "'", "//", "\"", "`", "${", "_"];
const LITERALS = ['"text"', '"unterminated', "42", "3.14", ".5", "1e3", '"a""b"', '"\\"q\\""', "`t ${x}`", "`open ${", '""', "0"];
const ODD = ["\u0000", "\u00e9", "\u{1F600}", "\t", "\r", "\r\n", "\n", "\uFEFF", "@", "$", "?", "~", "|", "\\", "\u2028"];

type Rng = () => number;
const pick = <T,>(r: Rng, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const int = (r: Rng, n: number) => Math.floor(r() * n);

/** A rough tokenisation (independent of the lexer under test): words, numbers, strings, single chars. */
function roughTokens(source: string): string[] {
  return source.match(/"[^"\n]*"?|`[^`]*`?|[A-Za-z_][A-Za-z0-9_]*|[0-9.]+|\r?\n|[ \t]+|./gs) ?? [];
}

const tokenCache = new Map<string, string[]>();

function mutateTokens(r: Rng, source: string): string {
  let cached = tokenCache.get(source);
  if (cached === undefined) {
    cached = roughTokens(source);
    if (tokenCache.size < 64) tokenCache.set(source, cached);
  }
  const tokens = [...cached];
  const edits = 1 + int(r, 4);
  for (let e = 0; e < edits && tokens.length > 0; e++) {
    const i = int(r, tokens.length);
    switch (int(r, 6)) {
      case 0:
        tokens.splice(i, 1);
        break;
      case 1:
        tokens.splice(i, 0, tokens[i]!);
        break;
      case 2: {
        const j = int(r, tokens.length);
        [tokens[i], tokens[j]] = [tokens[j]!, tokens[i]!];
        break;
      }
      case 3:
        tokens.splice(i, 0, ` ${pick(r, WORDS)} `);
        break;
      case 4:
        tokens.splice(i, 0, pick(r, PUNCT));
        break;
      default:
        tokens[i] = pick(r, LITERALS);
    }
  }
  return tokens.join("");
}

function mutateChars(r: Rng, source: string): string {
  let s = source;
  const edits = 1 + int(r, 5);
  for (let e = 0; e < edits; e++) {
    const i = int(r, s.length + 1);
    switch (int(r, 4)) {
      case 0:
        s = s.slice(0, i) + pick(r, ODD) + s.slice(i);
        break;
      case 1:
        s = s.slice(0, i) + s.slice(i + 1 + int(r, 8));
        break;
      case 2:
        s = s.slice(0, i) + String.fromCharCode(int(r, 0x2100)) + s.slice(i);
        break;
      default:
        s = s.slice(0, i); // truncate: unterminated everything
    }
  }
  return s;
}

function mutateLines(r: Rng, source: string): string {
  const lines = source.split("\n");
  const edits = 1 + int(r, 3);
  for (let e = 0; e < edits && lines.length > 0; e++) {
    const i = int(r, lines.length);
    const j = int(r, lines.length);
    if (r() < 0.4) lines.splice(i, 1);
    else if (r() < 0.6) lines.splice(i, 0, lines[j]!);
    else [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  return lines.join("\n");
}

const FORM_WORDS = [
  "TALK", "LLM", "SAVE", "GET", "SET", "ADD", "SUGGESTION", "TEXT", "TOOL", "SEND", "MAIL", "DELETE", "HEAR", "AS", "CLEAR",
  "KB", "USE", "CREATE", "SITE", "ON", "EMAIL", "QR", "CODE", "BOOK", "POST", "TO", "AT", "WITH", "OPTIMIZE", "FOR", "CONTEXT",
  "BOT", "MEMORY", "REMEMBER", "USER", "FACT", "FIND", "SEARCH", "PRODUCTS", "RUN", "PYTHON", "FILE", "\"s\"", "1", ",", "(", ")",
];

/** Keyword salad: runs of keyword-form words and arguments (stresses the form matcher's retries). */
function salad(r: Rng): string {
  const lines: string[] = [];
  for (let l = 1 + int(r, 3); l > 0; l--) {
    const words: string[] = [];
    for (let w = 2 + int(r, 40); w > 0; w--) words.push(pick(r, FORM_WORDS));
    lines.push((r() < 0.5 ? "x = " : "") + words.join(" "));
  }
  return lines.join("\n");
}

/** A random, mostly well-formed program from a small grammar. */
function generate(r: Rng, depth = 0): string {
  const expr = (d: number): string => {
    if (d > 3 || r() < 0.35) return pick(r, ["x", "y", "42", '"s"', "TRUE", "list[0]", "obj.k", "f(1)"]);
    const op = pick(r, ["+", "-", "*", "/", "^", "&", "=", "<>", "<", "AND", "OR", "MOD", "IN"]);
    return r() < 0.2 ? `NOT (${expr(d + 1)})` : `${expr(d + 1)} ${op} ${expr(d + 1)}`;
  };
  const lines: string[] = [];
  const n = 1 + int(r, 4);
  for (let k = 0; k < n; k++) {
    const choice = depth >= 2 ? int(r, 6) : int(r, 16);
    switch (choice) {
      case 0: lines.push(`TALK ${expr(0)}`); break;
      case 1: lines.push(`x = ${expr(0)}`); break;
      case 2: lines.push(`HEAR y AS ${pick(r, ["INTEGER", "EMAIL", "NAME"])}`); break;
      case 3: lines.push(`USE KB "kb${k}"`); break;
      case 4: lines.push(`y = FIND "t", ${expr(0)}`); break;
      case 5: lines.push(`' comment ${k}`); break;
      case 6: lines.push(`IF ${expr(0)} THEN`, generate(r, depth + 1), "ELSE", generate(r, depth + 1), "END IF"); break;
      case 7: lines.push(`FOR EACH item IN list`, generate(r, depth + 1), "NEXT item"); break;
      case 8: lines.push(`WHILE ${expr(0)}`, generate(r, depth + 1), "WEND"); break;
      case 9: lines.push("DO", generate(r, depth + 1), `LOOP UNTIL ${expr(0)}`); break;
      case 10: lines.push(`SELECT CASE x`, "CASE 1", generate(r, depth + 1), "CASE ELSE", generate(r, depth + 1), "END SELECT"); break;
      case 11: lines.push("BEGIN TALK", "Hello ${x}", "END TALK"); break;
      case 12: lines.push(`SET SCHEDULE "${pick(r, ["every hour", "at 9am", "0 0 * * *", "bad"])}"`); break;
      case 13: lines.push(`PARAM p${k} AS STRING ENUM ["a", "b"] DESCRIPTION "d"`); break;
      case 14: lines.push("WITH o", "  k = 1", "END WITH"); break;
      default: lines.push(`FOR i = 1 TO 10 STEP 2`, generate(r, depth + 1), "NEXT"); break;
    }
  }
  return lines.join("\n");
}

/** Pathological inputs: deep nesting, long lines, unterminated constructs. */
const SPECIAL: string[] = [
  "IF a THEN\n".repeat(5000) + "TALK 1\n" + "END IF\n".repeat(5000),
  "IF a THEN ".repeat(5000) + "TALK 1",
  `x = ${"(".repeat(5000)}1${")".repeat(5000)}`,
  `x = ${"(".repeat(5000)}`,
  `x = ${"-".repeat(5000)}1`,
  `x = ${"NOT ".repeat(5000)}y`,
  `x = ${Array.from({ length: 5000 }, (_, i) => String(i)).join(" + ")}`,
  `x = ${"[".repeat(3000)}`,
  `x = ${"#{a: ".repeat(3000)}`,
  `TALK ${"TALK ".repeat(3000)}1`,
  `x = a${".b".repeat(5000)}`,
  `x = f${"(1)".repeat(3000)}`,
  "FOR EACH i IN l\n".repeat(3000),
  "NEXT\n".repeat(3000),
  "END IF\nEND SELECT\nWEND\nLOOP\n".repeat(500),
  "BEGIN TALK\n" + "line ${x}\n".repeat(2000),
  "BEGIN MAIL\n",
  "BEGIN SYSTEM PROMPT",
  "`" + "${".repeat(2000),
  '"'.repeat(4001),
  "x = `a ${ `b ${ `c ${d}` }` }`",
  "_\n".repeat(1000),
  ",\n".repeat(1000),
  "SELECT x\n" + "CASE 1\n".repeat(3000) + "END SELECT",
  "GOTO a\n".repeat(1000) + "a:\n",
  "a:\n".repeat(1000),
  "\u0000".repeat(10000),
  "PARAM " + "x ".repeat(5000),
  "WITH o\n" + ".k = 1\n".repeat(2000),
  "TABLE t\n" + "f string(1,2,3)\n".repeat(1000),
  `WITH o\n  k = ${Array.from({ length: 5000 }, () => "1").join(" + ")}\nEND WITH`,
  `BEGIN TALK\n\${${Array.from({ length: 5000 }, () => "1").join(" + ")}}\nEND TALK`,
  `x = \`\${${Array.from({ length: 5000 }, () => "1").join(" + ")}}\``,
  `BEGIN TALK\n\${${"(".repeat(3000)}}\nEND TALK`,
  `SELECT x\nCASE ${Array.from({ length: 20000 }, (_, i) => String(i)).join(", ")}\nEND SELECT`,
  // Keyword forms nested in keyword forms, where several forms share a first word: must stay linear.
  `x = ${"LLM ".repeat(90)}"x"`,
  `x = ${"SAVE ".repeat(90)}1, 2, 3`,
  `${"SET CONTEXT ".repeat(60)}"k" AS "v"`,
  `${"ADD SUGGESTION ".repeat(60)}"a"`,
  `x = ${"GET ".repeat(90)}"u"`,
  `${"HEAR x AS ".repeat(60)}1`,
  `${"SEND MAIL ".repeat(40)}1, 2, 3, 4`,
  `${"DELETE ".repeat(90)}1`,
];

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
    const r = prng(SEED);
    let slowest = 0;
    let failure: string | null = null;
    let compiledOk = 0;
    const started = performance.now();
    for (let n = 0; n < CASES && failure === null; n++) {
      let source: string;
      const kind = n < SPECIAL.length ? -1 : int(r, 10);
      if (kind === -1) source = SPECIAL[n]!;
      else if (kind <= 2) source = mutateTokens(r, pick(r, CORPUS));
      else if (kind <= 4) source = mutateChars(r, pick(r, CORPUS));
      else if (kind === 5) source = mutateLines(r, pick(r, CORPUS));
      else if (kind <= 7) source = generate(r);
      else if (kind === 8) source = salad(r);
      else source = mutateTokens(r, generate(r));
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
      if (result.ok) compiledOk++;
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
});
