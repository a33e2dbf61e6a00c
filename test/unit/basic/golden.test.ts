/**
 * Golden tests: each golden/NAME.bas compiles to golden/NAME.rhai, and every golden .rhai loads in the
 * runtime's engine (rhaicheck) with nothing unresolved. The .rhai files are written by hand from what the
 * runtime accepts (docs/basic-compiler.md) — never by running the compiler and pasting its output.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it, expect } from "vitest";
import { compileBasic } from "../../../src/core/basic/compile.js";
import { RHAICHECK_ABSENT, RHAICHECK_PRESENT, rhaicheckProblem, rhaicheckSources } from "../../harness/rhaicheck.js";

const dir = join(dirname(fileURLToPath(import.meta.url)), "golden");
const names = readdirSync(dir)
  .filter((f) => f.endsWith(".bas"))
  .map((f) => f.slice(0, -4))
  .sort();

describe("golden: .bas → .rhai", () => {
  it("has golden files", () => {
    expect(names.length).toBeGreaterThanOrEqual(30);
  });

  for (const name of names) {
    it(name, () => {
      const source = readFileSync(join(dir, `${name}.bas`), "utf8");
      const expected = readFileSync(join(dir, `${name}.rhai`), "utf8");
      const result = compileBasic(source, { name });
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.ast).toBe(expected);
    });
  }
});

describe.skipIf(!RHAICHECK_PRESENT)(`golden .rhai files load in the runtime's engine${RHAICHECK_PRESENT ? "" : ` (${RHAICHECK_ABSENT})`}`, () => {
  it("every golden .rhai loads, with no unresolved call and no arity mismatch", () => {
    const sources = new Map(names.map((name) => [name, readFileSync(join(dir, `${name}.rhai`), "utf8")]));
    const problems = [...rhaicheckSources(sources)].flatMap(([name, check]) => {
      const problem = rhaicheckProblem(check);
      return problem === null ? [] : [`${name}.rhai ${problem}`];
    });
    expect(problems).toEqual([]);
  });
});
