import { describe, expect, it } from "vitest";
import { productionKinds } from "../../harness/kinds.js";
import { extensionOf, formatOfFileName, KB_FORMATS } from "../../../src/core/kb/kb-format.js";
import { DEFAULT_KB_NAME, invalidKbPathError, kbNameProblem, kbPathOf, unsupportedFormatError } from "../../../src/core/kb/kb-path.js";

describe("kbPathOf — admission (docs/botserver-compatibility.md, 'Knowledge base: admission')", () => {
  it("puts {bot}.gbkb/{kb}/{file} in KB {kb}", () => {
    expect(kbPathOf("demo", "demo.gbkb/manuals/guide.pdf")).toEqual({
      ok: true,
      kb: "manuals",
      documentPath: "guide.pdf",
      fileName: "guide.pdf",
      title: "guide",
      format: "pdf",
      inDefaultKb: false,
    });
  });

  it("keeps nested folders at any depth in the document path", () => {
    const r = kbPathOf("demo", "demo.gbkb/manuals/hr/2024/q1/leave policy.v2.PDF");
    expect(r).toMatchObject({ ok: true, kb: "manuals", documentPath: "hr/2024/q1/leave policy.v2.PDF", fileName: "leave policy.v2.PDF", title: "leave policy.v2", format: "pdf" });
  });

  it("puts a file directly in {bot}.gbkb/ in the default KB instead of looping", () => {
    expect(DEFAULT_KB_NAME).toBe("default");
    expect(kbPathOf("demo", "demo.gbkb/faq.md")).toEqual({
      ok: true,
      kb: "default",
      documentPath: "faq.md",
      fileName: "faq.md",
      title: "faq",
      format: "md",
      inDefaultKb: true,
    });
    // the folder named "default" is the same KB
    expect(kbPathOf("demo", "demo.gbkb/default/faq2.md")).toMatchObject({ ok: true, kb: "default", documentPath: "faq2.md", inDefaultKb: false });
  });

  it("admits an unsupported format with format null (the job fails it once)", () => {
    expect(kbPathOf("demo", "demo.gbkb/kb/old.doc")).toMatchObject({ ok: true, kb: "kb", documentPath: "old.doc", format: null });
    expect(kbPathOf("demo", "demo.gbkb/kb/README")).toMatchObject({ ok: true, format: null, title: "README" });
    expect(kbPathOf("demo", "demo.gbkb/kb/.md")).toMatchObject({ ok: true, format: null });
    expect(kbPathOf("demo", "demo.gbkb/kb/slides.ppt")).toMatchObject({ ok: true, format: null });
  });

  it("accepts real-world KB names verbatim (spaces, accents) — USE KB looks them up by exact name", () => {
    expect(kbPathOf("demo", "demo.gbkb/Manual do Usuário/capítulo 1.docx")).toMatchObject({ ok: true, kb: "Manual do Usuário", documentPath: "capítulo 1.docx", format: "docx" });
    expect(kbPathOf("demo", "demo.gbkb/cartas_2024-v1.0/a.txt")).toMatchObject({ ok: true, kb: "cartas_2024-v1.0" });
    expect(kbPathOf("demo", `demo.gbkb/${"k".repeat(128)}/a.txt`)).toMatchObject({ ok: true });
  });

  it.each([
    ["demo.gbdialog/start.bas", "not under demo.gbkb/"],
    ["other.gbkb/kb/a.pdf", "not under demo.gbkb/"],
    ["demo.gbkbx/kb/a.pdf", "not under demo.gbkb/"],
    ["demo.gbkb/kb/", "directory marker"],
    ["demo.gbkb/kb/../x.pdf", "'..' path segment"],
    ["demo.gbkb//x.pdf", "empty path segment"],
    ["demo.gbkb/a:b/x.pdf", "forbidden character \":\""],
    ["demo.gbkb/a*b/x.pdf", "forbidden character"],
    ["demo.gbkb/a|b/x.pdf", "forbidden character"],
    ["demo.gbkb/a?b/x.pdf", "forbidden character"],
    ["demo.gbkb/a\"b/x.pdf", "forbidden character"],
    ["demo.gbkb/a<b>/x.pdf", "forbidden character"],
    ["demo.gbkb/50%/x.pdf", "forbidden character \"%\""],
    ["demo.gbkb/#1/x.pdf", "forbidden character \"#\""],
    ["demo.gbkb/.trash/x.pdf", "hidden folder"],
    ["demo.gbkb/ kb/x.pdf", "white space"],
    ["demo.gbkb/kb /x.pdf", "white space"],
    [`demo.gbkb/${"k".repeat(129)}/x.pdf`, "longer than 128 bytes"],
    [`demo.gbkb/${"ã".repeat(65)}/x.pdf`, "longer than 128 bytes"],
  ])("rejects %s (%s)", (key, reason) => {
    const r = kbPathOf("demo", key);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it("agrees with the kind registry: every admitted key is kind kb", () => {
    for (const key of ["demo.gbkb/faq.md", "demo.gbkb/kb/a/b/c.pdf", "demo.gbkb/Manual do Usuário/x.docx"]) {
      expect(kbPathOf("demo", key).ok).toBe(true);
      expect(productionKinds().classify("demo", key)).toMatchObject({ ok: true, kind: { name: "kb" }, key });
    }
  });

  it("gives the job clear, non-retryable errors for unsupported formats and refused keys", () => {
    const e = unsupportedFormatError("old.DOC");
    expect(e.code).toBe("KB_UNSUPPORTED_FORMAT");
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(/^unsupported document format "\.doc" for "old\.DOC"; supported: \.txt, \.md, \.markdown, \.html, \.htm, .*\.pptx$/);
    expect(unsupportedFormatError("README").message).toMatch(/^a file without an extension for "README"; supported: /);
    const r = kbPathOf("demo", "demo.gbkb/a:b/x.pdf");
    if (r.ok) throw new Error("expected a rejection");
    const e2 = invalidKbPathError("demo.gbkb/a:b/x.pdf", r.reason);
    expect(e2.code).toBe("KB_INVALID_PATH");
    expect(e2.message).toBe('KB name contains a forbidden character ":": "a:b" (key "demo.gbkb/a:b/x.pdf")');
  });

  it("kbNameProblem", () => {
    expect(kbNameProblem("manuals")).toBeNull();
    expect(kbNameProblem("")).toContain("empty");
    expect(kbNameProblem("a/b")).toContain("forbidden");
    expect(kbNameProblem("a\\b")).toContain("forbidden");
  });
});

describe("formats by extension", () => {
  it.each([
    ["a.txt", "txt"],
    ["a.TXT", "txt"],
    ["a.md", "md"],
    ["a.markdown", "md"],
    ["a.html", "html"],
    ["a.HTM", "html"],
    ["a.csv", "csv"],
    ["a.tsv", "tsv"],
    ["a.json", "json"],
    ["a.JSONL", "jsonl"],
    ["a.xml", "xml"],
    ["a.yaml", "yaml"],
    ["a.yml", "yaml"],
    ["a.pdf", "pdf"],
    ["a.Docx", "docx"],
    ["a.xlsx", "xlsx"],
    ["a.pptx", "pptx"],
    ["dir.v2/a.tar.pdf", "pdf"],
  ])("%s → %s", (name, format) => {
    expect(formatOfFileName(name)).toBe(format);
  });

  it.each(["a.doc", "a.xls", "a.ppt", "a.rtf", "a.epub", "a.odt", "a.py", "a.png", "README", ".md", "a.", "dir.pdf/readme"])("%s → null", (name) => {
    expect(formatOfFileName(name)).toBeNull();
  });

  it("lists 13 formats and extracts the extension of the last path segment only", () => {
    expect(KB_FORMATS).toHaveLength(13);
    expect(extensionOf("a.b/c")).toBeNull();
    expect(extensionOf("x/y.Z")).toBe("z");
  });
});
