/**
 * One test per defect of the botserver's own compiler that this compiler fixes (docs/basic-compiler.md,
 * "Deliberate differences"). Each asserts the botserver's broken output is NOT produced and the fixed one is.
 */
import { describe, it, expect } from "vitest";
import { compileBasic } from "../../../src/core/basic/compile.js";

function ast(source: string, name = "script"): string {
  const result = compileBasic(source, { name });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.ast ?? "";
}

describe("fixed botserver defects", () => {
  it("REMEMBER and REMOVE are statements, not REM comments", () => {
    const out = ast('REM a real comment\nREMEMBER "color", "blue", "30 days"\nREMOVE BOT "helper"\nREMARKABLE = 1\n');
    expect(out).toBe('let REMARKABLE = ();\nREMEMBER "color", "blue", "30 days";\nREMOVE BOT "helper";\nlet REMARKABLE = 1;\n');
    expect(out).not.toContain("a real comment");
  });

  it("keyword case-folding never touches string literals", () => {
    const out = ast('TALK "IF YOU WANT, FOR EACH ITEM IN THE LIST, AS YOU LIKE, RETURN TRUE"\nIF x = "ELSE WHILE" THEN TALK "DO LOOP BREAK"\n');
    expect(out).toContain('TALK "IF YOU WANT, FOR EACH ITEM IN THE LIST, AS YOU LIKE, RETURN TRUE";');
    expect(out).toContain('if x == "ELSE WHILE" {');
    expect(out).toContain('TALK "DO LOOP BREAK";');
  });

  it("keyword case-folding does not lower-case registered keywords such as IMPORT, EXPORT, WAIT FOR", () => {
    const out = ast('data = IMPORT "file.csv"\nEXPORT "out.csv", data\nWAIT FOR EVENT "paid" TIMEOUT 30\n');
    expect(out).toContain('let data = IMPORT "file.csv";');
    expect(out).toContain('EXPORT "out.csv", data;');
    expect(out).toContain('WAIT FOR EVENT "paid" TIMEOUT 30;');
  });

  it("FOR EACH is emitted as the syntax in force, FOR EACH … IN … { } NEXT …, not FOR_EACH", () => {
    const out = ast("for each item in cart\n  TALK item.name\nnext\n");
    expect(out).toBe("FOR EACH item IN cart {\n  TALK item.name;\n} NEXT item;\n");
    expect(out).not.toContain("FOR_EACH");
    expect(out).not.toMatch(/FOR EACH item in /);
  });

  it("a FOR EACH left by EXIT FOR runs as Rhai's own for, since the runtime has no EXIT FOR (only EXIT DO) and its FOR EACH block is no loop to break", () => {
    const out = ast("for each item in cart\n  IF item.qty = 0 THEN EXIT FOR\n  TALK item.name\nnext\n");
    expect(out).toBe("for item in cart {\n  if item.qty == 0 {\n    break;\n  }\n  TALK item.name;\n}\n");
    expect(out).not.toContain("EXIT_FOR");
    expect(out).not.toContain("EXIT FOR");
  });

  it("AS keeps the case each registered syntax expects", () => {
    const out = ast('HEAR age AS INTEGER\nADD SUGGESTION "a" AS "Option A"\nADD SWITCHER "x" AS "y"\n');
    expect(out).toContain("HEAR age AS INTEGER;");
    expect(out).toContain('ADD_SUGGESTION_TEXT "a" as "Option A";');
    expect(out).toContain('ADD_SWITCHER "x" as "y";');
    expect(out).not.toContain("HEAR age as");
  });

  it("BEGIN SYSTEM PROMPT … END SYSTEM PROMPT is one error (the runtime cannot set a prompt from a script), not raw lines in the .ast", () => {
    const result = compileBasic("BEGIN SYSTEM PROMPT\nYou are a barista.\nBe brief, ${name}.\nEND SYSTEM PROMPT\nTALK \"hi\"\n", { name: "t" });
    expect(result.ast).toBeNull();
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([["error", "no-runtime-form", 1]]);
    expect(result.diagnostics[0]!.message).toMatch(/^BEGIN SYSTEM PROMPT: the botserver runtime registers no syntax and no function/);
  });

  it("CASE 1 compares numbers as numbers", () => {
    const out = ast('SELECT n\nCASE 1\n  TALK "one"\nCASE 2.5, -3\n  TALK "other"\nCASE "1"\n  TALK "text"\nEND SELECT\n');
    expect(out).toBe('if n == 1 {\n  TALK "one";\n} else if n == 2.5 || n == -3 {\n  TALK "other";\n} else if n == "1" {\n  TALK "text";\n}\n');
  });

  it(".mcp.json and .tool.json are produced for every script, even without PARAMs", () => {
    const result = compileBasic('TALK "hi"\n', { name: "hello" });
    expect(result.tool.mcp).toEqual({ name: "hello", description: "", input_schema: { type: "object", properties: {}, required: [] } });
    expect(result.tool.openai).toEqual({
      type: "function",
      function: { name: "hello", description: "", parameters: { type: "object", properties: {}, required: [] } },
    });
  });

  it("SET SCHEDULE is reported for storing, not dropped", () => {
    const result = compileBasic('SET SCHEDULE "every 15 minutes"\nTALK "tick"\n', { name: "ticker" });
    expect(result.schedules).toEqual([{ cron: "*/15 * * * *", source: "every 15 minutes", line: 1 }]);
    expect(result.ast).toBe('TALK "tick";\n');
  });

  it("PARAM variables are not predeclared, so their values survive", () => {
    const out = ast('PARAM name AS STRING DESCRIPTION "Name"\nIF name = "" THEN name = "guest"\nTALK name\n');
    expect(out).not.toContain("let name = ();");
    expect(out).toBe('if name == "" {\n  name = "guest";\n}\nTALK name;\n');
  });

  it("= is a comparison in every condition, not only IF", () => {
    const out = ast("WHILE x = 1\n  x = x + 1\nWEND\nDO UNTIL y = 2\n  y = y + 1\nLOOP\n");
    expect(out).toContain("while x == 1 {");
    expect(out).toContain("while !(y == 2) {");
  });

  it("a WITH inside a block assigns the outer variable instead of a block-local let", () => {
    const out = ast("IF ok THEN\n  WITH person\n    name = \"Ana\"\n  END WITH\nEND IF\nTALK person.name\n");
    expect(out).toBe('let person = ();\nif ok {\n  person = #{ name: "Ana" };\n}\nTALK person.name;\n');
  });

  it("a trailing comment after code is a comment, not Rhai text (the botserver only skips whole comment lines)", () => {
    expect(ast('TALK "hi" \' greet the user\nTALK "bye" // and leave\n')).toBe('TALK "hi";\nTALK "bye";\n');
  });
});
