/** The lexer's line rules: comments, REM as a whole word, raw PARAM/DESCRIPTION and BEGIN lines, continuation. */
import { describe, it, expect } from "vitest";
import { DiagnosticSink } from "../../../src/core/basic/diagnostics.js";
import { lex } from "../../../src/core/basic/lexer.js";

function tokens(source: string): string[] {
  return lex(source, new DiagnosticSink()).tokens.map((t) => (t.kind === "newline" ? "⏎" : t.kind === "eof" ? "EOF" : `${t.kind}:${t.text}`));
}

describe("lexer", () => {
  it("skips comment lines: ', //, #, REM (any case), but not REMEMBER / REMOVE", () => {
    expect(tokens("' a\n// b\n# c\nREM d\nrem e\nREM\nREMEMBER x\nREMOVE y\n")).toEqual([
      "identifier:REMEMBER", "identifier:x", "⏎", "identifier:REMOVE", "identifier:y", "⏎", "EOF",
    ]);
  });

  it("a comment after code ends the line; quotes protect ' and //", () => {
    expect(tokens("TALK \"it's // fine\" ' note\nx = 1 // note\n")).toEqual([
      "identifier:TALK", "string:\"it's // fine\"", "⏎", "identifier:x", "punct:=", "number:1", "⏎", "EOF",
    ]);
  });

  it("#{ starts a map, not a comment", () => {
    expect(tokens("#{ a: 1 }")).toEqual(["punct:#{", "identifier:a", "punct::", "number:1", "punct:}", "EOF"]);
  });

  it("keeps the rest of a PARAM / DESCRIPTION line raw, but not `param = …`", () => {
    expect(tokens('PARAM x AS STRING ENUM [\'a\', "b"]\nDESCRIPTION "It\'s ok"\nparam = 1\n')).toEqual([
      "identifier:PARAM", "raw:x AS STRING ENUM ['a', \"b\"]", "⏎",
      "identifier:DESCRIPTION", "raw:\"It's ok\"", "⏎",
      "identifier:param", "punct:=", "number:1", "⏎", "EOF",
    ]);
  });

  it("makes BEGIN TALK / MAIL / SYSTEM PROMPT bodies raw lines up to their END", () => {
    expect(tokens("BEGIN TALK\n  Hi ${x}, it's 'me'\n' skipped\n\nend  talk ' done\nTALK 1\n")).toEqual([
      "identifier:BEGIN", "identifier:TALK", "⏎",
      "raw:Hi ${x}, it's 'me'", "⏎",
      "raw:", "⏎",
      "identifier:end", "identifier:talk", "⏎",
      "identifier:TALK", "number:1", "⏎", "EOF",
    ]);
    expect(tokens("BEGIN SYSTEM PROMPT\nEND TALK\nEND SYSTEM PROMPT\n")).toEqual([
      "identifier:BEGIN", "identifier:SYSTEM", "identifier:PROMPT", "⏎", "raw:END TALK", "⏎", "identifier:END", "identifier:SYSTEM", "identifier:PROMPT", "⏎", "EOF",
    ]);
  });

  it("joins lines after ` _` and after a trailing comma", () => {
    expect(tokens("TALK a + _\n  b\nF 1,\n  2\n")).toEqual([
      "identifier:TALK", "identifier:a", "punct:+", "identifier:b", "⏎", "identifier:F", "number:1", "punct:,", "number:2", "⏎", "EOF",
    ]);
  });

  it("reads strings with Rhai escapes and BASIC doubled quotes, numbers, templates, operators", () => {
    expect(tokens('"a\\"b" "c""d" 1.5 .5 2e3 0x1F `t ${ "}" } u` <> <= == != && ** +=')).toEqual([
      'string:"a\\"b"', 'string:"c""d"', "number:1.5", "number:.5", "number:2e3", "number:0x1F", 'template:`t ${ "}" } u`',
      "punct:<>", "punct:<=", "punct:==", "punct:!=", "punct:&&", "punct:**", "punct:+=", "EOF",
    ]);
  });

  it("positions are 1-based; CRLF, lone CR and a BOM are handled; multi-line templates advance lines", () => {
    const { tokens: list, lineCount } = lex("\uFEFFa\r\n  b\rc `x\ny` d", new DiagnosticSink());
    const at = (text: string) => list.find((t) => t.text === text)!;
    expect([at("a").line, at("a").column]).toEqual([1, 1]);
    expect([at("b").line, at("b").column]).toEqual([2, 3]);
    expect([at("c").line, at("c").column]).toEqual([3, 1]);
    expect([at("`x\ny`").endLine, at("`x\ny`").endColumn]).toEqual([4, 3]);
    expect([at("d").line, at("d").column]).toEqual([4, 4]);
    expect(lineCount).toBe(4);
  });

  it("reports unterminated strings and unexpected characters (one diagnostic per run of bad characters)", () => {
    const sink = new DiagnosticSink();
    lex('x = "open\ny = @@@ 1\n', sink);
    expect(sink.items.map(({ code, line, column, endColumn }) => ({ code, line, column, endColumn }))).toEqual([
      { code: "unterminated-string", line: 1, column: 5, endColumn: 10 },
      { code: "unexpected-character", line: 2, column: 5, endColumn: 8 },
    ]);
  });
});
