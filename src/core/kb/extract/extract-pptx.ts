/**
 * pptx — the text of every slide, in presentation order (`p:sldIdLst`), slides separated by a blank line.
 *
 * Libraries: `fflate` (zip.ts, bomb-checked) + `htmlparser2` (markup-stream.ts) over PresentationML, like
 * the botserver's `ooxml_extract.rs`, which reads the slides' XML. The slide order comes from
 * `ppt/presentation.xml` and its relationships, not from file names (slide10.xml sorts before slide2.xml,
 * and reordered decks keep their old file names).
 *
 * Rules: text is the content of DrawingML `t` elements (`a:t` in runs and fields); `p` (`a:p`) and `br`
 * end a line; table cells (`tc`) are separated by a space; `mc:Fallback` is skipped (it repeats `mc:Choice`).
 * Speaker notes and slide masters/layouts (placeholder prompts like "Click to add title") are not indexed.
 * meta.slides = the number of slides read.
 */
import { LineBuilder, type ExtractContext } from "./context.js";
import { localName } from "./markup-stream.js";
import { isRelType, mainPart, openPackage, readPart, readRunText, relationshipsOf } from "./ooxml.js";
import type { RandomAccessBytes } from "./random-access.js";

export function extractPptx(file: RandomAccessBytes, ctx: ExtractContext): void {
  const pkg = openPackage(file, ctx, "PPTX presentation");
  const presentation = mainPart(pkg, "ppt/presentation.xml", ctx);
  const rels = relationshipsOf(pkg, presentation, ctx);
  const byId = new Map(rels.filter((r) => !r.external && isRelType(r, "/slide")).map((r) => [r.id, r.target]));

  const order: string[] = [];
  readPart(
    pkg,
    presentation,
    {
      open(name, a) {
        if (localName(name) !== "sldId") return;
        const rid = Object.entries(a).find(([k]) => localName(k) === "id" && k.includes(":"))?.[1];
        const target = rid === undefined ? undefined : byId.get(rid);
        if (target !== undefined && pkg.zip.has(target)) order.push(target);
      },
    },
    ctx,
  );

  const out = new LineBuilder(ctx.sink);
  let slides = 0;
  for (const slide of order) {
    if (slides > 0) out.paragraphBreak();
    slides++;
    ctx.meta.slides = slides;
    // DrawingML: `a:br` ends a line (its `a:tab` elements are tab-stop definitions, not characters).
    readRunText(pkg, slide, out, { br: "line" }, ctx);
    out.flush();
  }
  ctx.meta.slides = slides;
}
