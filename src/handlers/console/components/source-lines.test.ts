import { describe, expect, it } from "vitest";
import { compileBasic } from "../../../core/basic/compile.js";
import { SourceLines, type SourceDiagnostic } from "./source-lines.js";

/** Each rendered line as `n|class|code` with marks written [error:…] / [warning:…], and its reasons. */
function lines(text: string, diagnostics: SourceDiagnostic[]): string[] {
  const html = String(SourceLines({ id: "s", text, diagnostics, label: "source" }));
  return [...html.matchAll(/<li id="s-L(\d+)"(?: class="(\w+)")?><span class="ln">\d+<\/span><span class="code">(.*?)<\/span>(.*?)<\/li>/g)].map(
    ([, n, cls, code, why]) =>
      [
        n,
        cls ?? "",
        code!.replace(/<mark class="(\w+)">(.*?)<\/mark>/g, "[$1:$2]"),
        ...[...why!.matchAll(/<span class="why (\w+)">(.*?)<\/span>/g)].map(([, severity, text]) => `${severity}: ${text!.replace(/<[^>]+>/g, "")}`),
      ].join("|"),
  );
}

const error = (line: number, column: number, extra: Partial<SourceDiagnostic> = {}): SourceDiagnostic => ({
  severity: "error",
  code: "x",
  message: "bad",
  line,
  column,
  ...extra,
});

describe("SourceLines", () => {
  it("marks exactly the span a compiler diagnostic gives, with its reason under the line", () => {
    const text = 'TALK "hi"\nIF a THEN\n  TALK 1 +\nEND IF\n';
    const compiled = compileBasic(text, { name: "t" });
    const diagnostic = compiled.diagnostics.find((d) => d.line === 3)!;
    expect(diagnostic).toBeDefined();
    const rendered = lines(text, [diagnostic]);
    expect(rendered).toHaveLength(4);
    expect(rendered[2]).toMatch(/^3\|error\|/);
    expect(rendered[2]).toContain(`error: error at line 3:${diagnostic.column} ${diagnostic.code}: ${diagnostic.message}`);
    expect(rendered.filter((l) => l.includes("[error:"))).toHaveLength(1);
    expect(rendered[0]).toBe('1||TALK &quot;hi&quot;');
  });

  it("marks the word at the column when there is no end, and one blank past the end of the line", () => {
    expect(lines("  FOO BAR", [error(1, 3)])).toEqual(["1|error|  [error:FOO] BAR|error: error at line 1:3 x: bad"]);
    expect(lines("TALK 1 +", [error(1, 9, { endLine: 1, endColumn: 9 })])).toEqual(["1|error|TALK 1 +[error: ]|error: error at line 1:9 x: bad"]);
  });

  it("spans lines, lets an error outrank a warning where they overlap, and keeps diagnostics past the end on the last line", () => {
    const text = "IF a THEN\n  TALK b\nEND";
    const rendered = lines(text, [
      error(1, 4, { endLine: 2, endColumn: 5 }),
      { severity: "warning", code: "w", message: "meh", line: 2, column: 3, endLine: 2, endColumn: 9 },
      error(9, 1),
    ]);
    expect(rendered).toEqual([
      "1|error|IF [error:a THEN]|error: error at line 1:4 x: bad",
      "2|error|[error:  TA][warning:LK b]|warning: warning at line 2:3 w: meh",
      "3|error|[error:END]|error: error at line 9:1 x: bad",
    ]);
  });

  it("escapes the source", () => {
    expect(lines('TALK "<b>&</b>"', [])).toEqual(['1||TALK &quot;&lt;b&gt;&amp;&lt;/b&gt;&quot;']);
  });
});
