/**
 * docx — the text of the main document part, then its footnotes and endnotes.
 *
 * Libraries: `fflate` (through zip.ts, bomb-checked) + `htmlparser2` (through markup-stream.ts), reading
 * WordprocessingML directly — the approach of the botserver's `ooxml_extract.rs`.
 * `mammoth` was considered and not used: it unzips with JSZip, which inflates every entry it is asked for
 * without any size limit (declared sizes can lie), so bomb protection would need a second, bounded unzip
 * first; it also brings eight dependencies (JSZip, xmldom, underscore, …) for features (HTML conversion,
 * styles, images) that text extraction does not need.
 *
 * Rules (element local names, whatever the prefix):
 * - text is the content of `t` elements (runs, hyperlinks, fields' results, text boxes); deleted text
 *   (`delText`) and field codes (`instrText`) are other elements and are ignored;
 * - `p` ends a line; `tab` is a space; `br`/`cr` end a line; `noBreakHyphen` is "-";
 * - table cells (`tc`) are separated by a space (each paragraph inside is a line anyway);
 * - `mc:Fallback` is skipped: it repeats the content of the `mc:Choice` before it (text boxes, shapes).
 * Headers, footers and comments are not indexed (headers/footers repeat on every page and add noise).
 */
import { LineBuilder, type ExtractContext } from "./context.js";
import { isRelType, mainPart, openPackage, readRunText, relationshipsOf, type OoxmlPackage, type RunMark } from "./ooxml.js";
import type { RandomAccessBytes } from "./random-access.js";

/** WordprocessingML's marks: a tab is a space, breaks end a line, a non-breaking hyphen is "-". */
const WORD_MARKS: Readonly<Record<string, RunMark>> = { tab: "space", br: "line", cr: "line", noBreakHyphen: { text: "-" } };

function readWordPart(pkg: OoxmlPackage, part: string, ctx: ExtractContext): void {
  const out = new LineBuilder(ctx.sink);
  readRunText(pkg, part, out, WORD_MARKS, ctx);
  out.flush();
}

export function extractDocx(file: RandomAccessBytes, ctx: ExtractContext): void {
  const pkg = openPackage(file, ctx, "DOCX document");
  const main = mainPart(pkg, "word/document.xml", ctx);
  readWordPart(pkg, main, ctx);
  const rels = relationshipsOf(pkg, main, ctx);
  for (const suffix of ["/footnotes", "/endnotes"]) {
    for (const rel of rels) {
      if (!rel.external && isRelType(rel, suffix) && pkg.zip.has(rel.target)) {
        ctx.sink.push("\n");
        readWordPart(pkg, rel.target, ctx);
      }
    }
  }
}
