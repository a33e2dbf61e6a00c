/**
 * Builds the runtime profile (what the botserver's Rhai engine accepts) from the description of that
 * engine: `syntax_in_force.tsv` (leading keyword → the one custom syntax in force), `functions.tsv`
 * (every callable name with its arities), `registrations.tsv` (every custom syntax registered, so the
 * replaced ones are known) and, for the version line, its README. Pure text in, data out:
 * the file writer lives with the tests (`npm run runtime-profile -- DIR`), and a test checks that the
 * committed profile is what these files say.
 */
import type { RuntimeProfileData } from "./profile-data.js";

export interface RuntimeDescription {
  syntaxInForce: string;
  functions: string;
  registrations: string;
  /** README.md of the description; only its version line is used */
  readme?: string;
}

export function buildProfile(input: RuntimeDescription): RuntimeProfileData {
  const syntax: Record<string, string> = {};
  for (const cells of rows(input.syntaxInForce)) {
    const [keyword, pattern] = cells;
    if (keyword === undefined || pattern === undefined) throw new Error(`syntax_in_force: a row without a pattern: ${cells.join("\t")}`);
    if (pattern.split(" ")[0] !== keyword) throw new Error(`syntax_in_force: pattern ${pattern} does not start with ${keyword}`);
    syntax[keyword] = pattern;
  }
  const arities = new Map<string, Set<string>>();
  for (const cells of rows(input.functions)) {
    const [name, , arity] = cells;
    if (name === undefined || arity === undefined) throw new Error(`functions: a row without an arity: ${cells.join("\t")}`);
    // A name with a space is registered but no script can call it (Rhai reads it as two identifiers).
    if (name.includes(" ")) continue;
    const set = arities.get(name) ?? new Set<string>();
    for (const part of arity.split(",")) set.add(normaliseArity(part, name));
    arities.set(name, set);
  }
  const functions: Record<string, string> = {};
  for (const name of [...arities.keys()].sort(byCodePoint)) functions[name] = [...arities.get(name)!].sort(byArity).join(",");
  const inForce = new Set(Object.values(syntax));
  const replaced = new Set<string>();
  for (const cells of rows(input.registrations)) {
    const pattern = cells[3];
    if (pattern === undefined) throw new Error(`registrations: a row without a pattern: ${cells.join("\t")}`);
    if (!inForce.has(pattern)) replaced.add(pattern);
  }
  return { source: versionLine(input.readme), syntax: sortKeys(syntax), functions, replaced: [...replaced].sort(byCodePoint) };
}

/** `1`, `1+` (one or more), `2-3` (two or three, written as two entries). */
function normaliseArity(part: string, name: string): string {
  const text = part.trim();
  if (/^\d+\+?$/.test(text)) return text;
  const range = /^(\d+)-(\d+)$/.exec(text);
  if (range !== null) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    if (to < from || to - from > 16) throw new Error(`functions: arity ${text} of ${name}`);
    return Array.from({ length: to - from + 1 }, (_, i) => String(from + i)).join(",");
  }
  throw new Error(`functions: arity ${text} of ${name}`);
}

function byArity(a: string, b: string): number {
  return Number.parseInt(a, 10) - Number.parseInt(b, 10) || a.length - b.length;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort(byCodePoint)) out[key] = record[key]!;
  return out;
}

/** Data rows of a TSV: no comment lines (`#`), no blank lines, no header row (`arity` column). */
function rows(text: string): string[][] {
  const out: string[][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const cells = line.split("\t");
    if (cells[2] === "arity") continue;
    out.push(cells);
  }
  return out;
}

/** `generalbots/generalbots @ f59afde5`, from the README's "as it is built in" line. */
function versionLine(readme: string | undefined): string {
  const match = /`([\w.-]+\/[\w.-]+)` @ `([0-9a-f]{7,40})`/.exec(readme ?? "");
  return match === null ? "unknown version" : `${match[1]} @ ${match[2]}`;
}

/** The TypeScript source of the committed profile module. */
export function renderProfileModule(profile: RuntimeProfileData): string {
  const entries = (record: Record<string, string>) =>
    Object.entries(record)
      .map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)},`)
      .join("\n");
  return `/**
 * The botserver runtime profile: the custom syntax in force per leading keyword, and every function a
 * script can call with the numbers of arguments it was registered with ("1+" = one or more), and the
 * custom syntax that was registered but replaced by a later registration with the same first word.
 * GENERATED from the runtime description (syntax_in_force.tsv, functions.tsv, registrations.tsv) by
 * \`npm run runtime-profile -- <description dir>\`; do not edit by hand (docs/basic-compiler.md).
 */
import type { RuntimeProfileData } from "./profile-data.js";

export const BOTSERVER_RUNTIME: RuntimeProfileData = {
  source: ${JSON.stringify(profile.source)},
  syntax: {
${entries(profile.syntax)}
  },
  functions: {
${entries(profile.functions)}
  },
  replaced: [
${profile.replaced.map((p) => `    ${JSON.stringify(p)},`).join("\n")}
  ],
};
`;
}
