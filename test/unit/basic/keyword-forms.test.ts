/**
 * Keyword forms (src/core/basic/keyword-forms.ts) against the runtime profile and the runtime's engine:
 *   - every lowering row is accepted by the profile, and so is every form the emitter writes by itself;
 *   - every custom syntax in force is accepted as written;
 *   - every form compiles from a sample statement — written with spaces or underscores, in upper or lower
 *     case, as a statement and (upper case) as a value — and every `.ast` those samples produce loads in
 *     rhaicheck with nothing unresolved; a form the runtime has no equivalent for is one error naming it.
 */
import { describe, expect, it } from "vitest";
import { compileBasic } from "../../../src/core/basic/compile.js";
import { EMITTER_FUNCTIONS, EMITTER_SYNTAX } from "../../../src/core/basic/emitter-forms.js";
import { KEYWORD_FORMS, LOWERING_PROBLEMS, type KeywordForm, type PatternElement } from "../../../src/core/basic/keyword-forms.js";
import { RUNTIME } from "../../../src/core/basic/runtime-profile.js";
import { RHAICHECK_ABSENT, RHAICHECK_PRESENT, rhaicheckProblem, rhaicheckSources } from "../../harness/rhaicheck.js";

/** BASIC source pieces for a pattern: one list per combination of its `A|B` alternatives. */
function samples(elements: readonly PatternElement[], spaced: boolean): string[][] {
  let out: string[][] = [[]];
  let n = 0;
  let afterWhere = false;
  const add = (pieces: string[][]) => {
    out = out.flatMap((prefix) => pieces.map((p) => [...prefix, ...p]));
  };
  for (const el of elements) {
    switch (el.kind) {
      case "token":
        add(el.options.map((o) => [spaced && o.parts !== null ? o.parts.join(" ") : o.text]));
        afterWhere = el.options.some((o) => o.text === "WHERE");
        continue;
      case "expr":
        // After WHERE, a condition the runtime's filter can take.
        add([[afterWhere ? `id = v${++n}` : `v${++n}`]]);
        break;
      case "exprs":
        add([[`v${++n}`, ",", `v${++n}`]]);
        break;
      case "ident":
        add([["name1"]]);
        break;
      case "string":
        add([['"s"']]);
        break;
      case "int":
        add([["5"]]);
        break;
      case "assignments":
        add([[`status = v${++n}`, ",", `total = v${++n} + 1`]]);
        break;
      case "rest":
        add([['"x"']]);
        break;
      case "optional": {
        const inner = samples(el.elements, spaced);
        add([[], ...inner]);
        break;
      }
    }
    afterWhere = false;
  }
  return out;
}

/** BASIC text with a blank between pieces (`LAST ( x )`: the keyword, not a call). */
const text = (pieces: string[]) => pieces.join(" ").replace(/ ,/g, ",");

interface Sample {
  form: KeywordForm;
  source: string;
}

function allSamples(form: KeywordForm): { statements: Sample[]; values: Sample[] } {
  const statements: Sample[] = [];
  const values: Sample[] = [];
  for (const spaced of [false, true]) {
    for (const pieces of samples(form.elements, spaced)) {
      const source = text(pieces);
      statements.push({ form, source }, { form, source: source.toLowerCase() });
      if (!form.statementOnly) values.push({ form, source: `result = ${source}` });
    }
  }
  return { statements, values };
}

const runnable = KEYWORD_FORMS.filter((f) => f.lowering.kind !== "none");
const unsupported = KEYWORD_FORMS.filter((f) => f.lowering.kind === "none");

describe("keyword forms against the runtime profile", () => {
  it("every lowering row is accepted by the runtime profile", () => {
    expect(LOWERING_PROBLEMS).toEqual([]);
  });

  it("every form the emitter writes by itself is in force in the runtime profile", () => {
    for (const pattern of EMITTER_SYNTAX) expect(RUNTIME.syntax(pattern.split(" ")[0]!)?.pattern, pattern).toBe(pattern);
    for (const call of EMITTER_FUNCTIONS) {
      const [name, arity] = call.split("/");
      expect(RUNTIME.callStatus(name!, Number(arity)), call).toBe("ok");
      expect(RUNTIME.isCustomKeyword(name!), call).toBe(false);
    }
  });

  it("every custom syntax in force that is a statement of its own is accepted as written", () => {
    const parserOwned = new Set(["CALL", "RETURN", "EXIT", "DO", "FOR", "WHILE", "WEBHOOK"]);
    const ids = new Set(KEYWORD_FORMS.filter((f) => f.origin === "runtime").map((f) => f.id));
    for (const s of RUNTIME.keywords()) {
      if (parserOwned.has(s.keyword)) continue;
      expect(ids.has(s.pattern.replace(/\$(\w+)\$/g, "$$$1")), s.pattern).toBe(true);
    }
  });
});

describe("every keyword form compiles", () => {
  for (const form of runnable) {
    it(form.id, () => {
      const { statements, values } = allSamples(form);
      for (const { source } of [...statements, ...values]) {
        const result = compileBasic(`${source}\n`, { name: "t" });
        expect(result.diagnostics.filter((d) => d.severity === "error"), source).toEqual([]);
        expect(result.ast, source).not.toBeNull();
      }
    });
  }

  for (const form of unsupported) {
    it(`${form.id} — no runtime form: one error naming it`, () => {
      for (const { source } of allSamples(form).statements) {
        const errors = compileBasic(`${source}\nTALK "after"\n`, { name: "t" }).diagnostics.filter((d) => d.severity === "error");
        expect(errors, source).toHaveLength(1);
        expect(errors[0], source).toMatchObject({ code: "no-runtime-form", line: 1 });
        expect(errors[0]!.message.startsWith(`${form.phrase}:`) || errors[0]!.message.includes(form.phrase), source).toBe(true);
      }
    });
  }
});

describe.skipIf(!RHAICHECK_PRESENT)(`every emitted keyword form loads in the runtime's engine${RHAICHECK_PRESENT ? "" : ` (${RHAICHECK_ABSENT})`}`, () => {
  it("all samples, as statements and as values, load with nothing unresolved", () => {
    const asts = new Map<string, string>();
    for (const form of runnable) {
      const { statements, values } = allSamples(form);
      for (const { source } of [...statements, ...values]) {
        const result = compileBasic(`${source}\n`, { name: "t" });
        if (result.ast !== null) asts.set(`${form.id} ⟶ ${source}`, result.ast);
      }
    }
    expect(asts.size).toBeGreaterThan(runnable.length * 2);
    const problems: string[] = [];
    for (const [name, check] of rhaicheckSources(asts)) {
      const problem = rhaicheckProblem(check);
      if (problem !== null) problems.push(`${name}: ${problem}\n${asts.get(name)}`);
    }
    expect(problems).toEqual([]);
  });
});

describe("names and calls", () => {
  it("a lower-case word in an expression is a variable, not a keyword", () => {
    const result = compileBasic("first = list + 1\ntotal = first * 2\n", { name: "t" });
    expect(result.ast).toBe("let first = ();\nlet total = ();\nlet first = list + 1;\nlet total = first * 2;\n");
  });

  it("a variable named like a keyword in lower case can be assigned", () => {
    const result = compileBasic('list = FIND "t", "f"\nnext = 1\nstep = next + 1\n', { name: "t" });
    expect(result.ast).toBe('let list = ();\nlet next = ();\nlet step = ();\nlet list = FIND "t", "f";\nlet next = 1;\nlet step = next + 1;\n');
  });

  it("a variable named like a custom keyword of the runtime is an error (Rhai would read the keyword)", () => {
    const result = compileBasic("LIST = 1\nTALK LIST\n", { name: "t" });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.line])).toEqual([
      ["keyword-as-name", 1],
      ["keyword-as-name", 2],
    ]);
  });

  it("a property or map key named like a keyword or a reserved word is written so Rhai reads a name", () => {
    const result = compileBasic("x = o.LIST + o.default\ny = #{ TALK: 1, new: 2 }\n", { name: "t" });
    expect(result.ast).toBe('let x = ();\nlet y = ();\nlet x = o["LIST"] + o["default"];\nlet y = #{ "TALK": 1, "new": 2 };\n');
  });
});
