/**
 * Golden tests: each golden/NAME.bas compiles to golden/NAME.rhai. The .rhai files were written by hand
 * from reference/botserver.md §3.3 (and §3.4's worked example, copied verbatim), applying the fixes
 * listed in docs/basic-compiler.md — never by running the compiler and pasting its output.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it, expect } from "vitest";
import { compileBasic } from "../../../src/core/basic/compile.js";

const dir = join(dirname(fileURLToPath(import.meta.url)), "golden");
const names = readdirSync(dir)
  .filter((f) => f.endsWith(".bas"))
  .map((f) => f.slice(0, -4))
  .sort();

describe("golden: .bas → .rhai", () => {
  it("has golden files", () => {
    expect(names.length).toBeGreaterThanOrEqual(10);
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
