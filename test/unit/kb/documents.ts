/**
 * Builders for REAL documents of every ZIP/PDF format, made by the tests themselves:
 * - OOXML packages (docx, xlsx, pptx) with the parts a real producer writes ([Content_Types].xml, _rels,
 *   the main part and its relationships), zipped with fflate;
 * - PDF 1.4 files with one Helvetica text object per page and a correct xref table (byte offsets computed);
 * - ZIP surgery for bomb tests (lying size fields).
 */
import { zipSync, zlibSync, type Zippable } from "fflate";

const enc = new TextEncoder();
export const utf8 = (s: string): Uint8Array => enc.encode(s);

const XML_DECL = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n`;
const NS_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
const REL_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main";
const NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main";
const NS_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006";

export function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function rels(list: Array<{ id: string; type: string; target: string; external?: boolean }>): string {
  return (
    XML_DECL +
    `<Relationships xmlns="${NS_REL}">` +
    list
      .map((r) => `<Relationship Id="${r.id}" Type="${REL_OFFICE}/${r.type}" Target="${xmlEscape(r.target)}"${r.external ? ` TargetMode="External"` : ""}/>`)
      .join("") +
    `</Relationships>`
  );
}

function contentTypes(overrides: Array<[string, string]>): string {
  return (
    XML_DECL +
    `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
    `<Default Extension="xml" ContentType="application/xml"/>` +
    overrides.map(([part, type]) => `<Override PartName="/${part}" ContentType="${type}"/>`).join("") +
    `</Types>`
  );
}

function pack(parts: Record<string, string | Uint8Array>, level: 0 | 6 = 6): Uint8Array {
  const files: Zippable = {};
  for (const [name, content] of Object.entries(parts)) files[name] = typeof content === "string" ? utf8(content) : content;
  return zipSync(files, { level });
}

// ---------------------------------------------------------------------------------------------------------
// docx

/** A paragraph: plain text, or raw WordprocessingML runs (`<w:r>…</w:r>`) when `raw` is set. */
export type DocxParagraph = string | { raw: string };

export function docxBody(paragraphs: DocxParagraph[]): string {
  return paragraphs
    .map((p) => (typeof p === "string" ? `<w:p><w:r><w:t xml:space="preserve">${xmlEscape(p)}</w:t></w:r></w:p>` : `<w:p>${p.raw}</w:p>`))
    .join("");
}

export function makeDocx(opts: { body: string; footnotes?: string[]; extraParts?: Record<string, string | Uint8Array> }): Uint8Array {
  const docRels: Array<{ id: string; type: string; target: string; external?: boolean }> = [
    { id: "rId1", type: "styles", target: "styles.xml" },
    { id: "rId9", type: "hyperlink", target: "https://example.com/", external: true },
  ];
  const parts: Record<string, string | Uint8Array> = {
    "[Content_Types].xml": contentTypes([["word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"]]),
    "_rels/.rels": rels([{ id: "rId1", type: "officeDocument", target: "word/document.xml" }]),
    "word/document.xml": XML_DECL + `<w:document xmlns:w="${NS_W}" xmlns:mc="${NS_MC}"><w:body>${opts.body}<w:sectPr/></w:body></w:document>`,
    "word/styles.xml": XML_DECL + `<w:styles xmlns:w="${NS_W}"/>`,
  };
  if (opts.footnotes) {
    docRels.push({ id: "rId2", type: "footnotes", target: "footnotes.xml" });
    parts["word/footnotes.xml"] =
      XML_DECL +
      `<w:footnotes xmlns:w="${NS_W}">` +
      opts.footnotes.map((f, i) => `<w:footnote w:id="${i + 1}"><w:p><w:r><w:t>${xmlEscape(f)}</w:t></w:r></w:p></w:footnote>`).join("") +
      `</w:footnotes>`;
  }
  parts["word/_rels/document.xml.rels"] = rels(docRels);
  Object.assign(parts, opts.extraParts ?? {});
  return pack(parts);
}

// ---------------------------------------------------------------------------------------------------------
// xlsx

export type Cell = string | number | boolean | null | { inline: string } | { error: string } | { formula: string; value: string | number };

export function makeXlsx(sheets: Array<{ name: string; rows: Cell[][] }>, opts: { order?: number[] } = {}): Uint8Array {
  const shared: string[] = [];
  const sharedIndex = new Map<string, number>();
  const sst = (s: string) => {
    let i = sharedIndex.get(s);
    if (i === undefined) {
      i = shared.length;
      shared.push(s);
      sharedIndex.set(s, i);
    }
    return i;
  };
  const col = (i: number) => String.fromCharCode(65 + i);
  const parts: Record<string, string | Uint8Array> = {};
  // sheet files are numbered in reverse, to prove the order comes from workbook.xml
  const fileOf = (i: number) => `worksheets/sheet${sheets.length - i}.xml`;
  sheets.forEach((sheet, si) => {
    const rowsXml = sheet.rows
      .map((row, ri) => {
        const cells = row
          .map((cell, ci) => {
            const r = `${col(ci)}${ri + 1}`;
            if (cell === null) return "";
            if (typeof cell === "string") return `<c r="${r}" t="s"><v>${sst(cell)}</v></c>`;
            if (typeof cell === "number") return `<c r="${r}"><v>${cell}</v></c>`;
            if (typeof cell === "boolean") return `<c r="${r}" t="b"><v>${cell ? 1 : 0}</v></c>`;
            if ("inline" in cell) return `<c r="${r}" t="inlineStr"><is><t>${xmlEscape(cell.inline)}</t></is></c>`;
            if ("error" in cell) return `<c r="${r}" t="e"><v>${xmlEscape(cell.error)}</v></c>`;
            const t = typeof cell.value === "string" ? ` t="str"` : "";
            return `<c r="${r}"${t}><f>${xmlEscape(cell.formula)}</f><v>${xmlEscape(String(cell.value))}</v></c>`;
          })
          .join("");
        return `<row r="${ri + 1}">${cells}</row>`;
      })
      .join("");
    parts[`xl/${fileOf(si)}`] = XML_DECL + `<worksheet xmlns="${NS_S}"><sheetData>${rowsXml}</sheetData></worksheet>`;
  });
  const order = opts.order ?? sheets.map((_, i) => i);
  parts["xl/workbook.xml"] =
    XML_DECL +
    `<workbook xmlns="${NS_S}" xmlns:r="${REL_OFFICE}"><sheets>` +
    order.map((i) => `<sheet name="${xmlEscape(sheets[i]!.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("") +
    `</sheets></workbook>`;
  parts["xl/_rels/workbook.xml.rels"] = rels([
    ...sheets.map((_, i) => ({ id: `rId${i + 1}`, type: "worksheet", target: fileOf(i) })),
    { id: "rIdS", type: "sharedStrings", target: "sharedStrings.xml" },
  ]);
  parts["xl/sharedStrings.xml"] =
    XML_DECL +
    `<sst xmlns="${NS_S}" count="${shared.length}" uniqueCount="${shared.length}">` +
    shared.map((s) => `<si><t xml:space="preserve">${xmlEscape(s)}</t></si>`).join("") +
    `</sst>`;
  parts["[Content_Types].xml"] = contentTypes([["xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"]]);
  parts["_rels/.rels"] = rels([{ id: "rId1", type: "officeDocument", target: "xl/workbook.xml" }]);
  return pack(parts);
}

// ---------------------------------------------------------------------------------------------------------
// pptx

/** slides → shapes → paragraphs → runs */
export function makePptx(slides: string[][][][], opts: { order?: number[]; notes?: boolean } = {}): Uint8Array {
  const parts: Record<string, string | Uint8Array> = {};
  slides.forEach((shapes, si) => {
    const sp = shapes
      .map(
        (paras, i) =>
          `<p:sp><p:nvSpPr><p:cNvPr id="${i + 2}" name="Shape ${i}"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/>` +
          paras.map((runs) => `<a:p>${runs.map((r) => `<a:r><a:rPr lang="en-US"/><a:t>${xmlEscape(r)}</a:t></a:r>`).join("")}</a:p>`).join("") +
          `</p:txBody></p:sp>`,
      )
      .join("");
    parts[`ppt/slides/slide${si + 1}.xml`] =
      XML_DECL +
      `<p:sld xmlns:p="${NS_P}" xmlns:a="${NS_A}" xmlns:r="${REL_OFFICE}"><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${sp}</p:spTree></p:cSld></p:sld>`;
    parts[`ppt/slides/_rels/slide${si + 1}.xml.rels`] = rels([{ id: "rId1", type: "slideLayout", target: "../slideLayouts/slideLayout1.xml" }]);
  });
  parts["ppt/slideLayouts/slideLayout1.xml"] =
    XML_DECL + `<p:sldLayout xmlns:p="${NS_P}" xmlns:a="${NS_A}"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>Click to add title</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sldLayout>`;
  const order = opts.order ?? slides.map((_, i) => i);
  parts["ppt/presentation.xml"] =
    XML_DECL +
    `<p:presentation xmlns:p="${NS_P}" xmlns:a="${NS_A}" xmlns:r="${REL_OFFICE}"><p:sldIdLst>` +
    order.map((i, k) => `<p:sldId id="${256 + k}" r:id="rId${i + 10}"/>`).join("") +
    `</p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/></p:presentation>`;
  parts["ppt/_rels/presentation.xml.rels"] = rels(slides.map((_, i) => ({ id: `rId${i + 10}`, type: "slide", target: `slides/slide${i + 1}.xml` })));
  parts["[Content_Types].xml"] = contentTypes([["ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"]]);
  parts["_rels/.rels"] = rels([{ id: "rId1", type: "officeDocument", target: "ppt/presentation.xml" }]);
  return pack(parts);
}

// ---------------------------------------------------------------------------------------------------------
// pdf

function pdfString(s: string): string {
  return "(" + s.replace(/[\\()]/g, (m) => "\\" + m) + ")";
}

/**
 * A PDF 1.4 with one page per entry; each page shows its lines with Helvetica (WinAnsi, so ASCII + Latin-1).
 * With `compress`, content streams are FlateDecode'd (as most producers write them).
 */
export function makePdf(pages: string[][], opts: { compress?: boolean } = {}): Uint8Array {
  const objects: string[] = [];
  objects.push("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push(`<< /Type /Pages /Kids [${pages.map((_, i) => `${4 + i * 2} 0 R`).join(" ")}] /Count ${pages.length} >>`);
  objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  pages.forEach((lines, i) => {
    const content = `BT /F1 12 Tf 72 720 Td 14 TL ${lines.map((l) => `${pdfString(l)} Tj T*`).join(" ")} ET`;
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + i * 2} 0 R >>`);
    if (opts.compress) {
      const z = zlibSync(latin1Bytes(content));
      objects.push(`<< /Length ${z.length} /Filter /FlateDecode >>\nstream\n${String.fromCharCode(...z)}\nendstream`);
    } else {
      objects.push(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
    }
  });
  let out = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n";
  const offsets: number[] = [];
  // the file is built as a binary string (one char per byte), so string offsets are byte offsets
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return latin1Bytes(out);
}

/** One byte per character (the PDF is built as a "binary string"). */
function latin1Bytes(s: string): Uint8Array {
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i) & 0xff;
  return bytes;
}

// ---------------------------------------------------------------------------------------------------------
// zip surgery

function findCentralEntry(zip: Uint8Array, name: string): number {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const target = utf8(name);
  for (let p = 0; p + 46 <= zip.length; p++) {
    if (dv.getUint32(p, true) !== 0x02014b50) continue;
    const nameLen = dv.getUint16(p + 28, true);
    if (nameLen === target.length && target.every((b, i) => zip[p + 46 + i] === b)) return p;
  }
  throw new Error(`no central entry ${name}`);
}

/** Overwrites the uncompressed size that the central directory (and local header) declare for `name`. */
export function patchDeclaredSize(zip: Uint8Array, name: string, uncompressedSize: number): Uint8Array {
  const out = zip.slice();
  const dv = new DataView(out.buffer);
  const p = findCentralEntry(out, name);
  dv.setUint32(p + 24, uncompressedSize, true);
  const local = dv.getUint32(p + 42, true);
  dv.setUint32(local + 22, uncompressedSize, true);
  return out;
}

/**
 * A DEFLATE stream of `prefix`, then `count` copies of the ASCII byte `byte`, then `suffix`, written bit by
 * bit with the fixed Huffman code (the run is one literal, then length-258/distance-1 matches): 13 bits per
 * 258 bytes, so 200 MiB of spaces is ~1.3 MB (ratio ~159), made in milliseconds without allocating 200 MiB.
 */
export function deflatedRun(opts: { prefix?: string; byte: number; count: number; suffix?: string }): Uint8Array {
  const prefix = utf8(opts.prefix ?? "");
  const suffix = utf8(opts.suffix ?? "");
  for (const b of [...prefix, opts.byte, ...suffix]) if (b >= 144) throw new Error("ASCII < 144 only");
  const out = new Uint8Array(Math.ceil(((opts.count / 258) * 13) / 8) + prefix.length + suffix.length + 300);
  let bit = 0;
  const lsbFirst = (value: number, n: number) => {
    for (let i = 0; i < n; i++, bit++) if ((value >> i) & 1) out[bit >> 3]! |= 1 << (bit & 7);
  };
  const huffman = (code: number, n: number) => {
    for (let i = n - 1; i >= 0; i--, bit++) if ((code >> i) & 1) out[bit >> 3]! |= 1 << (bit & 7);
  };
  const literal = (b: number) => huffman(0x30 + b, 8); // literals 0–143: 8-bit codes from 00110000
  lsbFirst(1, 1); // BFINAL
  lsbFirst(1, 2); // BTYPE = 01, fixed Huffman
  for (const b of prefix) literal(b);
  let left = opts.count;
  if (left > 0) {
    literal(opts.byte);
    left--;
  }
  for (; left >= 258; left -= 258) {
    huffman(0xc5, 8); // length symbol 285 = 258
    huffman(0, 5); // distance code 0 = 1
  }
  for (; left > 0; left--) literal(opts.byte);
  for (const b of suffix) literal(b);
  huffman(0, 7); // end of block
  return out.slice(0, (bit + 7) >> 3);
}

/**
 * A real decompression bomb: one dynamic-Huffman DEFLATE block of `total` zero bytes whose code gives
 * length 258 / distance 1 two bits in all (lit/len code: 285 → "0", literal 0 → "10", end → "11"; one
 * distance code, 1 bit). Ratio ~1030:1, the most DEFLATE allows: 200 MiB in ~200 KB.
 */
export function zeroBomb(total: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(total / 258 / 4) + 400);
  let bit = 0;
  const lsbFirst = (value: number, n: number) => {
    for (let i = 0; i < n; i++, bit++) if ((value >> i) & 1) out[bit >> 3]! |= 1 << (bit & 7);
  };
  const huffman = (code: number, n: number) => {
    for (let i = n - 1; i >= 0; i--, bit++) if ((code >> i) & 1) out[bit >> 3]! |= 1 << (bit & 7);
  };
  lsbFirst(1, 1); // BFINAL
  lsbFirst(2, 2); // BTYPE = 10, dynamic Huffman
  lsbFirst(29, 5); // HLIT: 286 literal/length codes
  lsbFirst(0, 5); // HDIST: 1 distance code
  lsbFirst(14, 4); // HCLEN: 18 code-length code lengths
  // code-length alphabet in its transmission order; used: 18 → 1 bit ("0"), 1 → 2 bits ("10"), 2 → 2 bits ("11")
  const clOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1];
  const clLen: Record<number, number> = { 18: 1, 1: 2, 2: 2 };
  for (const sym of clOrder) lsbFirst(clLen[sym] ?? 0, 3);
  const cl = (sym: 1 | 2) => huffman(sym === 1 ? 0b10 : 0b11, 2);
  const zeros = (n: number) => {
    huffman(0, 1); // code-length symbol 18: repeat a zero 11–138 times
    lsbFirst(n - 11, 7);
  };
  // literal/length code lengths: 0 → 2, 1–255 → 0, 256 → 2, 257–284 → 0, 285 → 1; distance code 0 → 1
  cl(2);
  zeros(138);
  zeros(117);
  cl(2);
  zeros(28);
  cl(1);
  cl(1);
  // data: a literal 0, then length 258 / distance 1 matches
  huffman(0b10, 2);
  let left = total - 1;
  for (; left >= 258; left -= 258) {
    huffman(0, 1); // 285
    huffman(0, 1); // distance code 0
  }
  for (; left > 0; left--) huffman(0b10, 2);
  huffman(0b11, 2); // end of block
  return out.slice(0, (bit + 7) >> 3);
}

/** A raw ZIP archive (method 8) from pre-deflated entries, with the sizes it should DECLARE (possibly lies). */
export function rawZip(entries: Array<{ name: string; deflated: Uint8Array; declaredSize: number; method?: number }>): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = utf8(e.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, e.method ?? 8, true);
    lv.setUint32(18, e.deflated.length, true);
    lv.setUint32(22, e.declaredSize, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const cd = new Uint8Array(46 + name.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(10, e.method ?? 8, true);
    cv.setUint32(20, e.deflated.length, true);
    cv.setUint32(24, e.declaredSize, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    cd.set(name, 46);
    chunks.push(local, e.deflated);
    central.push(cd);
    offset += local.length + e.deflated.length;
  }
  const cdSize = central.reduce((s, c) => s + c.length, 0);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const all = [...chunks, ...central, eocd];
  const out = new Uint8Array(all.reduce((s, c) => s + c.length, 0));
  let o = 0;
  for (const c of all) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** The package-level parts of an OOXML file of `kind` ([Content_Types].xml and _rels/.rels), without the main part. */
export function ooxmlShell(kind: "docx" | "xlsx" | "pptx"): Record<string, string> {
  const main = kind === "docx" ? "word/document.xml" : kind === "xlsx" ? "xl/workbook.xml" : "ppt/presentation.xml";
  return {
    "[Content_Types].xml": contentTypes([]),
    "_rels/.rels": rels([{ id: "rId1", type: "officeDocument", target: main }]),
  };
}

export { pack as zipParts };
