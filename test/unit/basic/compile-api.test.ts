/** compileBasic: the result shape others code against. */
import { describe, it, expect } from "vitest";
import { compileBasic } from "../../../src/core/basic/compile.js";
import { BotsyncError } from "../../../src/core/errors.js";

describe("compileBasic", () => {
  it("returns the registrations of compile-time directives", () => {
    const source = [
      'SET SCHEDULE "at 6am"',
      'WEBHOOK "orders"',
      'USE WEBSITE "https://a.example.com"',
      'USE WEBSITE "https://b.example.com" REFRESH "1d"',
      "USE WEBSITE site REFRESH \"1h\"",
      "TABLE Customers ON erp",
      "  Id number KEY",
      "  Name string(150)",
      "  Balance number(10, 2)",
      "END TABLE",
      "TABLE Notes",
      "END TABLE",
    ].join("\n");
    const r = compileBasic(source, { name: "setup" });
    expect(r.ok).toBe(true);
    expect(r.schedules).toEqual([{ cron: "0 6 * * *", source: "at 6am", line: 1 }]);
    expect(r.webhooks).toEqual([{ endpoint: "orders", line: 2 }]);
    expect(r.websites).toEqual([
      { url: "https://a.example.com", refresh: "1m", line: 3 },
      { url: "https://b.example.com", refresh: "1d", line: 4 },
    ]);
    expect(r.tables).toEqual([
      {
        name: "Customers",
        connection: "erp",
        line: 6,
        fields: [
          { name: "Id", type: "number", length: null, scale: null, modifiers: ["KEY"], line: 7 },
          { name: "Name", type: "string", length: 150, scale: null, modifiers: [], line: 8 },
          { name: "Balance", type: "number", length: 10, scale: 2, modifiers: [], line: 9 },
        ],
      },
      { name: "Notes", connection: null, line: 11, fields: [] },
    ]);
    expect(r.ast).toBe('USE_WEBSITE("https://a.example.com", "1m");\nUSE_WEBSITE("https://b.example.com", "1d");\nUSE_WEBSITE(site, "1h");\n');
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([["website-not-literal", 5]]);
  });

  it("on errors: ok false, ast null, tool definitions still produced", () => {
    const r = compileBasic('PARAM q AS STRING DESCRIPTION "Query"\nTALK (\n', { name: "search" });
    expect(r.ok).toBe(false);
    expect(r.ast).toBeNull();
    expect(r.tool.mcp.input_schema.required).toEqual(["q"]);
  });

  it("a script with nothing to run compiles to a comment, not a zero-length .ast (the botserver would run the .bas)", () => {
    expect(compileBasic("", { name: "empty" })).toMatchObject({ ok: true, ast: "// no statements to run\n", diagnostics: [] });
    expect(compileBasic("' only a comment\nPARAM x AS STRING DESCRIPTION \"x\"\n", { name: "empty" })).toMatchObject({ ok: true, ast: "// no statements to run\n" });
  });

  it("diagnostics come back in file order", () => {
    const r = compileBasic("TAK 1\nx = \nTAK 2\n", { name: "t" });
    expect(r.diagnostics.map((d) => d.line)).toEqual([1, 2, 3]);
  });

  it("warns when the file stem is not a valid LLM tool name", () => {
    const r = compileBasic('TALK "x"\n', { name: "my script" });
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["invalid-tool-name"]);
  });

  it("rejects names Rhai reserves: the runtime would not load the script", () => {
    const r = compileBasic("loop = 1\nFOR EACH new IN list\nNEXT\n", { name: "t" });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ["error", "rhai-reserved-name", 1],
      ["error", "rhai-reserved-name", 2],
    ]);
  });

  it("ON ERROR GOTO a label has no form in the runtime: one error that says what can be written", () => {
    const r = compileBasic("ON ERROR GOTO handler\nTALK 1\nhandler:\nTALK 2\n", { name: "t" });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.line, d.column])).toEqual([["no-runtime-form", 1, 1]]);
    expect(r.diagnostics[0]!.message).toBe(
      "ON ERROR GOTO: the botserver runtime registers no ON ERROR GOTO syntax (its only ON is `ON ident OF string`) and no ON_ERROR_GOTO function; ON ERROR RESUME NEXT and ON ERROR GOTO 0 can be written, a jump to a label cannot",
    );
  });

  it("rejects a missing name as a caller error (BotsyncError), not a diagnostic", () => {
    expect(() => compileBasic("TALK 1", { name: "" })).toThrow(BotsyncError);
  });

  it("compiles the representative script of every construct used by the benchmark", async () => {
    const { representativeScript } = await import("../../../bench/compile-basic.js");
    const source = representativeScript(1000);
    expect(source.split("\n")).toHaveLength(1001);
    const r = compileBasic(source, { name: "bench" });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.ok).toBe(true);
  });
});
