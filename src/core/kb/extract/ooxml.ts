/**
 * Shared by the Office Open XML extractors (docx, xlsx, pptx): open the package safely (zip.ts), find the
 * main part through the package relationships, read a part's relationships, stream a part through the XML
 * reader (markup-stream.ts). Parts are matched case-insensitively (OPC part names are), elements by local name.
 */
import type { ExtractContext, LineBuilder } from "./context.js";
import { extractionFailed } from "./context.js";
import { localName, MarkupStream, type MarkupHandler } from "./markup-stream.js";
import type { RandomAccessBytes } from "./random-access.js";
import { relsPartOf, resolveTarget, SafeZip, type Relationship } from "./zip.js";

export const REL_OFFICE_DOCUMENT = "/officeDocument";

export interface OoxmlPackage {
  zip: SafeZip;
  what: string;
}

export function openPackage(file: RandomAccessBytes, ctx: ExtractContext, what: string): OoxmlPackage {
  return { zip: SafeZip.open(file, ctx.limits, what), what };
}

/** Streams part `name` through the XML reader with `handler` (well-formedness checked). */
/** What an element other than `t`, `p` and `tc` adds to the text: a space, a line end, or literal text. */
export type RunMark = "space" | "line" | { text: string };

/**
 * The text of an Office XML part, for WordprocessingML and DrawingML alike: the content of `t` elements;
 * `p` ends a line; table cells (`tc`) are separated by a space; `mc:Fallback` is skipped (it repeats the
 * `mc:Choice` before it); `marks` says what the format's other elements (tabs, breaks…) add.
 */
export function readRunText(pkg: OoxmlPackage, part: string, out: LineBuilder, marks: Readonly<Record<string, RunMark>>, ctx: ExtractContext): void {
  let inText = 0;
  let skip = 0;
  readPart(
    pkg,
    part,
    {
      open(name) {
        const n = localName(name);
        if (skip > 0 || n === "Fallback") {
          skip++;
          return;
        }
        if (n === "t") inText++;
        const mark = marks[n];
        if (mark === "space") out.space();
        else if (mark === "line") out.flush();
        else if (mark !== undefined) out.append(mark.text);
      },
      close(name) {
        if (skip > 0) {
          skip--;
          return;
        }
        const n = localName(name);
        if (n === "t") inText--;
        else if (n === "p") out.flush();
        else if (n === "tc") out.space();
      },
      text(text) {
        if (inText > 0 && skip === 0) out.append(text);
      },
    },
    ctx,
  );
}

export function readPart(pkg: OoxmlPackage, name: string, handler: MarkupHandler, ctx: ExtractContext): void {
  const stream = new MarkupStream(handler, { xml: true, what: `${pkg.what} part ${name}`, deadline: ctx.deadline });
  pkg.zip.streamText(name, (text) => stream.write(text), ctx.deadline);
  stream.end();
}

/** The relationships of part `sourcePart` ("" for the package itself), or [] when it has none. */
export function relationshipsOf(pkg: OoxmlPackage, sourcePart: string, ctx: ExtractContext): Relationship[] {
  const relsName = sourcePart === "" ? "_rels/.rels" : relsPartOf(sourcePart);
  if (!pkg.zip.has(relsName)) return [];
  const rels: Relationship[] = [];
  readPart(
    pkg,
    relsName,
    {
      open(name, a) {
        if (localName(name) !== "Relationship") return;
        const id = a["Id"] ?? "";
        const type = a["Type"] ?? "";
        const target = a["Target"] ?? "";
        const external = (a["TargetMode"] ?? "").toLowerCase() === "external";
        rels.push({ id, type, external, target: external ? target : resolveTarget(sourcePart, target) });
      },
    },
    ctx,
  );
  return rels;
}

/** Relationship type URIs end in a stable name (`…/relationships/officeDocument`), whatever the schema year. */
export function isRelType(rel: Relationship, suffix: string): boolean {
  return rel.type.endsWith(suffix);
}

/** The main part (the package's officeDocument relationship), else `fallback` when it exists. */
export function mainPart(pkg: OoxmlPackage, fallback: string, ctx: ExtractContext): string {
  const rel = relationshipsOf(pkg, "", ctx).find((r) => !r.external && isRelType(r, REL_OFFICE_DOCUMENT) && pkg.zip.has(r.target));
  if (rel !== undefined) return rel.target;
  if (pkg.zip.has(fallback)) return fallback;
  throw extractionFailed(`${pkg.what}: no main document part (expected ${fallback}); not a valid Office Open XML package`);
}
