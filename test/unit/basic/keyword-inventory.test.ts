/**
 * Every keyword form of the inventory (§3.8, src/core/basic/keyword-forms.ts) compiles, written with
 * spaces (`SEND SMS`) or underscores (`SEND_SMS`), in upper or lower case, as a statement and — when
 * upper-case — as a value.
 */
import { describe, it, expect } from "vitest";
import { compileBasic } from "../../../src/core/basic/compile.js";
import { KEYWORD_FORMS, type PatternElement } from "../../../src/core/basic/keyword-forms.js";

/** Source text for a pattern, and the Rhai text a `syntax` form must produce for it. */
function sample(elements: readonly PatternElement[], spaced: boolean, counter = { n: 0 }): { source: string[]; rhai: string[] } {
  const source: string[] = [];
  const rhai: string[] = [];
  for (const el of elements) {
    switch (el.kind) {
      case "token": {
        const option = el.options[0]!;
        source.push(spaced && option.parts !== null ? option.parts.join(" ") : option.text);
        rhai.push(option.text);
        break;
      }
      case "expr": {
        const v = `"v${++counter.n}"`;
        source.push(v);
        rhai.push(v);
        break;
      }
      case "exprs": {
        const a = `"v${++counter.n}"`;
        const b = `"v${++counter.n}"`;
        source.push(a, ",", b);
        rhai.push(a, ",", b);
        break;
      }
      case "ident":
        source.push("name1");
        rhai.push("name1");
        break;
      case "string":
        source.push('"s"');
        rhai.push('"s"');
        break;
      case "int":
        source.push("5");
        rhai.push("5");
        break;
      case "optional": {
        const inner = sample(el.elements, spaced, counter);
        source.push(...inner.source);
        rhai.push(...inner.rhai);
        break;
      }
    }
  }
  return { source, rhai };
}

/** Rhai spacing as the emitter writes it: `A, B`, `LAST(x)`. */
function join(pieces: string[]): string {
  let out = "";
  let previous = "";
  for (const p of pieces) {
    if (out === "" || p === "," || p === ")" || p === "(" || previous === "(") out += p;
    else out += ` ${p}`;
    previous = p;
  }
  return out;
}

/** BASIC source with a blank between every piece (`LAST ( x )`: a keyword, not a call). */
const spacedSource = (pieces: string[]) => pieces.join(" ").replace(/ ,/g, ",");

const isPredeclaration = (line: string) => /^let \w+ = \(\);$/.test(line);

describe("keyword inventory (§3.8)", () => {
  it("has the forms of every §3.8 group", () => {
    expect(KEYWORD_FORMS.length).toBeGreaterThan(140);
  });

  for (const form of KEYWORD_FORMS) {
    it(form.id, () => {
      for (const spaced of [false, true]) {
        const { source, rhai } = sample(form.elements, spaced);
        const text = spacedSource(source);
        for (const variant of [text, text.toLowerCase()]) {
          const result = compileBasic(`${variant}\n`, { name: "t" });
          expect(result.diagnostics.filter((d) => d.severity === "error"), variant).toEqual([]);
          const lines = result.ast!.trimEnd().split("\n").filter((l) => !isPredeclaration(l));
          expect(lines, variant).toHaveLength(1);
          const line = lines[0]!;
          if (form.emit.kind === "syntax") expect(line, variant).toBe(`${join(rhai)};`);
          if (form.emit.kind === "call") expect(line.startsWith(`${form.emit.name}(`), variant).toBe(true);
        }
        // As a value (upper case only, as Rhai matches custom syntax case-sensitively).
        if (form.id.startsWith("STEP ")) continue; // STEP also ends FOR … TO … STEP: not a value
        const assigned = compileBasic(`result = ${text}\n`, { name: "t" });
        expect(assigned.diagnostics.filter((d) => d.severity === "error"), text).toEqual([]);
        expect(assigned.ast!.split("\n").filter((l) => !isPredeclaration(l))[0]!.startsWith("let result = "), text).toBe(true);
      }
    });
  }

  it("a lower-case word in an expression is a variable, not a keyword", () => {
    const result = compileBasic("first = list + 1\ntotal = first * 2\n", { name: "t" });
    expect(result.ast).toBe("let first = ();\nlet total = ();\nlet first = list + 1;\nlet total = first * 2;\n");
  });

  it("a variable named like a keyword can be assigned", () => {
    const result = compileBasic("list = FIND \"t\", \"f\"\nnext = 1\nstep = next + 1\n", { name: "t" });
    expect(result.ast).toBe('let list = ();\nlet next = ();\nlet step = ();\nlet list = FIND "t", "f";\nlet next = 1;\nlet step = next + 1;\n');
  });
});
