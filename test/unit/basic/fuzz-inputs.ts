/**
 * Inputs for the BASIC compiler's fuzz tests, from a seed (every failure is reproducible):
 *   - `fuzzInputs`: golden scripts mutated token-, character- and line-wise, generated programs, keyword
 *     salad and pathological inputs (deep nesting, long lines, unterminated constructs);
 *   - `validScripts` (valid-scripts.ts): well-formed programs of the whole dialect.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** mulberry32: small, fast, seedable. */
export function prng(seed: number): () => number {
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

export type Rng = () => number;
export const pick = <T,>(r: Rng, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
export const int = (r: Rng, n: number) => Math.floor(r() * n);

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


/** The fuzz inputs, in order: the pathological ones first, then a seeded mix. */
export function* fuzzInputs(seed: number, cases: number): Generator<string> {
  const r = prng(seed);
  for (let n = 0; n < cases; n++) {
    const kind = n < SPECIAL.length ? -1 : int(r, 10);
    if (kind === -1) yield SPECIAL[n]!;
    else if (kind <= 2) yield mutateTokens(r, pick(r, CORPUS));
    else if (kind <= 4) yield mutateChars(r, pick(r, CORPUS));
    else if (kind === 5) yield mutateLines(r, pick(r, CORPUS));
    else if (kind <= 7) yield generate(r);
    else if (kind === 8) yield salad(r);
    else yield mutateTokens(r, generate(r));
  }
}
