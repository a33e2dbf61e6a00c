/** Syntax errors: codes, line AND column, and recovery (every error in a file is reported). */
import { describe, it, expect } from "vitest";
import { compileBasic } from "../../../src/core/basic/compile.js";

const errors = (source: string) =>
  compileBasic(source, { name: "t" })
    .diagnostics.filter((d) => d.severity === "error")
    .map(({ code, line, column }) => ({ code, line, column }));

describe("diagnostic positions", () => {
  it.each([
    ["unterminated string", 'TALK "hi\n', { code: "unterminated-string", line: 1, column: 6 }],
    ["missing operand", "x = 1 +\n", { code: "expected-expression", line: 1, column: 8 }],
    ["missing THEN", "IF x > 1\n  TALK x\nEND IF\n", { code: "expected-token", line: 1, column: 9 }],
    ["unknown statement", '  TAK "hello"\n', { code: "unknown-statement", line: 1, column: 3 }],
    ["stray END IF", 'TALK "a"\nEND IF\n', { code: "unmatched-end", line: 2, column: 1 }],
    ["IF without END IF (reported at the IF)", 'TALK "a"\n  IF x THEN\n  TALK "b"\n', { code: "missing-end", line: 2, column: 3 }],
    ["NEXT for another variable", "FOR EACH a IN list\nNEXT b\n", { code: "mismatched-next", line: 2, column: 1 }],
    ["bad character", "x = 1 @ 2\n", { code: "unexpected-character", line: 1, column: 7 }],
    ["missing ) at the end of its line", "x = (1 + 2\nTALK x\n", { code: "expected-token", line: 1, column: 11 }],
    ["keyword form with a missing argument", 'SEND MAIL "a@b.c"\n', { code: "expected-token", line: 1, column: 18 }],
    ["EXIT FOR outside a loop", "EXIT FOR\n", { code: "invalid-exit", line: 1, column: 1 }],
    ["GOTO to nowhere", "GOTO nowhere\n", { code: "undefined-label", line: 1, column: 6 }],
    ["invalid schedule", 'SET SCHEDULE "every blue moon"\n', { code: "invalid-schedule", line: 1, column: 14 }],
    ["unterminated ${ in BEGIN TALK", "BEGIN TALK\n  Hi ${name\nEND TALK\n", { code: "unterminated-interpolation", line: 2, column: 6 }],
    ["error inside ${} in BEGIN TALK", "BEGIN TALK\nHi ${a +}\nEND TALK\n", { code: "expected-expression", line: 2, column: 9 }],
  ])("%s", (_name, source, expected) => {
    expect(errors(source)).toEqual([expected]);
  });

  it("columns count from 1 after a BOM and with CRLF line ends", () => {
    expect(errors("\uFEFFTALK 1\r\nx = 1 +\r\nTALK 2\r\n")).toEqual([{ code: "expected-expression", line: 2, column: 8 }]);
  });

  it("diagnostics carry an end position and a message", () => {
    const [d] = compileBasic("TAK 1\n", { name: "t" }).diagnostics;
    expect(d).toEqual({
      severity: "error",
      code: "unknown-statement",
      message: "TAK: unknown statement (the botserver runtime registers no TAK syntax and no TAK function)",
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 4,
    });
  });
});

describe("recovery", () => {
  it("a file with 3 separate errors reports all 3, and ast is null", () => {
    const source = [
      'TALK "Welcome"', //        1
      "x = (1 + 2", //            2  missing )
      'TALK "still parsed"', //   3
      "IF x > THEN", //           4  missing operand
      '  TALK "inside"', //       5
      "END IF", //                6  (matches the broken IF: no cascade)
      "HAER answer", //           7  unknown statement
      'TALK "end"', //            8
    ].join("\n");
    const result = compileBasic(source, { name: "t" });
    expect(result.ok).toBe(false);
    expect(result.ast).toBeNull();
    expect(errors(source)).toEqual([
      { code: "expected-token", line: 2, column: 11 },
      { code: "expected-expression", line: 4, column: 8 },
      { code: "unknown-statement", line: 7, column: 1 },
    ]);
  });

  it("a broken block opener still opens its block, so its END is not reported again", () => {
    expect(errors("FOR EACH IN list\n  TALK 1\nNEXT\nWHILE\nWEND\nSELECT\nCASE 1\nEND SELECT\n")).toEqual([
      { code: "expected-token", line: 1, column: 10 },
      { code: "expected-expression", line: 4, column: 6 },
      { code: "expected-expression", line: 6, column: 7 },
    ]);
  });

  it("a missing END inside another block is reported once and the outer block still closes", () => {
    expect(errors("IF a THEN\n  WHILE b\n    TALK 1\nEND IF\nTALK 2\n")).toEqual([{ code: "missing-end", line: 2, column: 3 }]);
  });

  it("a bad entry in a { } literal over several lines is one error, not one per remaining line", () => {
    const source = 'IF ok THEN\n  data = {\n    "a": 1,\n    "b": 2 +,\n    "c": 3\n  }\n  TALK data\nEND IF\nTALK "after"\n';
    expect(errors(source)).toEqual([{ code: "expected-expression", line: 4, column: 13 }]);
  });

  it("a construct the runtime lacks inside a block is one error; the block still closes", () => {
    expect(errors('IF ok THEN\n  CLEAR SUGGESTIONS\n  TALK "x"\nEND IF\nFOR EACH x IN l\n  TALK TO a, b\nNEXT\n').map((e) => [e.code, e.line])).toEqual([
      ["no-runtime-form", 2],
      ["no-runtime-form", 6],
    ]);
  });

  it("errors on one line do not hide errors on the next lines", () => {
    const source = Array.from({ length: 20 }, (_, i) => `x${i} = ${i} +`).join("\n");
    expect(errors(source)).toHaveLength(20);
  });

  it("ELSE without IF, CASE without SELECT, LOOP without DO", () => {
    expect(errors("ELSE\nCASE 1\nLOOP\nWEND\n").map((e) => e.code)).toEqual(["unmatched-end", "unmatched-end", "unmatched-end", "unmatched-end"]);
  });

  it("5,000 nested IF blocks give a nesting diagnostic instead of a stack overflow", () => {
    const depth = 5000;
    const source = `${"IF a THEN\n".repeat(depth)}TALK 1\n${"END IF\n".repeat(depth)}`;
    const result = compileBasic(source, { name: "t" });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["nesting-too-deep"]);
  });

  it("5,000 nested parentheses give a nesting diagnostic", () => {
    const source = `x = ${"(".repeat(5000)}1${")".repeat(5000)}\nTALK 2\nTAK 3\n`;
    expect(errors(source).map((e) => e.code)).toEqual(["nesting-too-deep", "unknown-statement"]);
  });

  it("a 5,000-term expression is rejected as too deep, not overflowing the emitter", () => {
    const source = `x = ${Array.from({ length: 5000 }, () => "1").join(" + ")}\n`;
    expect(errors(source).map((e) => e.code)).toEqual(["nesting-too-deep"]);
  });

  it("deep expressions inside WITH, BEGIN TALK and back-tick strings are rejected too", () => {
    const chain = Array.from({ length: 5000 }, () => "1").join(" + ");
    for (const source of [`WITH o\n  k = ${chain}\nEND WITH\n`, `BEGIN TALK\n\${${chain}}\nEND TALK\n`, `x = \`\${${chain}}\`\n`]) {
      expect(errors(source).map((e) => e.code)).toEqual(["nesting-too-deep"]);
    }
  });

  it("a 60-term expression compiles; a 300-term one is too deep for the runtime's parser", () => {
    expect(compileBasic(`x = ${Array.from({ length: 60 }, () => "1").join(" + ")}\n`, { name: "t" }).ok).toBe(true);
    expect(errors(`TALK 1\nx = ${Array.from({ length: 300 }, () => "1").join(" + ")}\n`)).toEqual([{ code: "too-complex", line: 2, column: 1 }]);
  });
});

describe("constructs the runtime has no form for", () => {
  it.each([
    ["CLEAR SUGGESTIONS", "CLEAR SUGGESTIONS"],
    ['TALK TO "+5521999990000", "hi"', "TALK TO"],
    ['SET CONTEXT "k" AS "v"', "SET CONTEXT"],
    ['SET USER "u"', "SET USER"],
    ['x = GET "https://example.com"', "GET"],
    ['x = GET USER MEMORY "k"', "GET USER MEMORY"],
    ['USE MODEL "fast"', "USE MODEL"],
    ['ON EMAIL "sales@example.com"', "ON EMAIL"],
    ['ON FORM SUBMIT "f"', "ON FORM SUBMIT"],
    ["ON ERROR GOTO handler", "ON ERROR GOTO"],
    ['POST TO INSTAGRAM image, "text"', "POST TO INSTAGRAM"],
    ['DELETE "orders", "id=1"', "DELETE"],
    ["SEND FILE TO phone, file", "SEND FILE TO"],
    ['x = SUMMARIZE "text"', "SUMMARIZE"],
    ['REMEMBER USER FACT "likes tea"', "REMEMBER USER FACT"],
    ["LIST BOTS", "LIST BOTS"],
    ['CLEAR KB "faq"', "CLEAR KB"],
    ['BROADCAST "x" TO everyone', "BROADCAST"],
  ])("%s: one error naming %s", (line, construct) => {
    const diagnostics = compileBasic(`TALK "before"\n${line}\nTALK "after"\n`, { name: "t" }).diagnostics;
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: "error", line: 2 });
    expect(diagnostics[0]!.message.startsWith(`${construct}: `)).toBe(true);
  });
});

describe("warnings do not fail the compile", () => {
  it("a call of an unknown function, or with an unregistered number of arguments, is a warning with line and column", () => {
    const result = compileBasic('x = FORMAT(total)\ny = 1 + FROB(x)\nz = name.shout(1)\n', { name: "t" });
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.line, d.column])).toEqual([
      ["warning", "function-arity", 1, 5],
      ["warning", "unknown-function", 2, 9],
      ["warning", "unknown-function", 3, 5],
    ]);
    expect(result.diagnostics[0]!.message).toBe("FORMAT(…): FORMAT takes 2 argument(s) in the botserver runtime, not 1; the script loads, but this call fails when it runs");
  });

  it("reports unused labels, duplicate PARAMs, bare CASE words and directives inside blocks", () => {
    const source = 'PARAM a AS STRING\nPARAM a AS INTEGER\nhere:\nSELECT x\nCASE yes\nEND SELECT\nIF y THEN\n  WEBHOOK "w"\nEND IF\n';
    const result = compileBasic(source, { name: "t" });
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["duplicate-param", 2],
      ["unused-label", 3],
      ["case-bare-word", 5],
      ["directive-in-block", 8],
    ]);
  });
});
