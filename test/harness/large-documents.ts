/**
 * Large KB documents made on the fly, for the memory tests and the bench: a CSV of an exact size produced
 * as a stream (never held whole), a docx whose text is far beyond the 10M-character extraction limit,
 * deflated as it is written, and documents of the other whole-file formats at (or near) their size caps:
 * an xlsx full of shared strings, a pptx of thousands of slides, a PDF of 3,000 text pages, a YAML list of
 * records. The OOXML and PDF files reach their size with one incompressible picture, as real ones do. Text
 * is pseudo-random words and numbers, so it compresses like real prose (≈ 5×), not like a run of one byte.
 */
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { Zip, ZipDeflate, ZipPassThrough, strToU8, unzipSync, zlibSync } from "fflate";
import { makePptx, makeXlsx, ooxmlShell } from "../unit/kb/documents.js";

const WORDS = ["river", "order", "invoice", "capybara", "delivery", "warehouse", "customer", "payment", "north", "shipment", "balance", "quarter"];

/** `count` words of pseudo-random text from `seed`, joined by spaces. */
function words(seed: { value: number }, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    seed.value = (Math.imul(seed.value, 1103515245) + 12345) >>> 0;
    out.push(`${WORDS[seed.value % WORDS.length]}${seed.value % 100}`);
  }
  return out.join(" ");
}

/** A CSV of exactly `bytes` bytes (ASCII rows), generated as it is read. */
export function csvStream(bytes: number): Readable {
  const seed = { value: 7 };
  let left = bytes;
  let row = 0;
  return new Readable({
    read() {
      if (left === 0) return void this.push(null);
      const lines: string[] = [];
      let size = 0;
      while (size < 256 * 1024) {
        const line = `${row++},${words(seed, 6)},${(row * 3.17).toFixed(2)}\n`;
        lines.push(line);
        size += line.length;
      }
      const chunk = Buffer.from(lines.join("")).subarray(0, Math.min(size, left));
      left -= chunk.length;
      this.push(chunk);
    },
  });
}

/**
 * A docx whose document part holds `textChars` characters of text, as ONE paragraph (`oneParagraph`, the
 * shape that used to exhaust the extractor's heap) or as paragraphs of ~2,000 characters.
 */
export function docxWithText(textChars: number, opts: { oneParagraph: boolean; level?: 1 | 6; paddedTo?: number }): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((error, data) => {
    if (error) throw error;
    parts.push(data);
  });
  for (const [name, xml] of Object.entries(ooxmlShell("docx"))) {
    const file = new ZipDeflate(name, { level: 6 });
    zip.add(file);
    file.push(strToU8(xml), true);
  }
  const document = new ZipDeflate("word/document.xml", { level: opts.level ?? 1 });
  zip.add(document);
  const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
  document.push(strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>${opts.oneParagraph ? "<w:p><w:r><w:t xml:space=\"preserve\">" : ""}`));
  const seed = { value: 11 };
  for (let written = 0; written < textChars; ) {
    const text = words(seed, 300) + " ";
    written += text.length;
    document.push(strToU8(opts.oneParagraph ? text : `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`));
  }
  document.push(strToU8(`${opts.oneParagraph ? "</w:t></w:r></w:p>" : ""}</w:body></w:document>`), true);
  if (opts.paddedTo !== undefined) addPicture(zip, "word/media/image1.png", opts.paddedTo - parts.reduce((n, p) => n + p.length, 0));
  zip.end();
  return Buffer.concat(parts);
}

/** The ZIP overhead of one stored entry and the end of the archive, beside its name and data (approximate, generous). */
const ZIP_OVERHEAD = 30 + 46 + 22 + 64;

/** A stored entry of random bytes (a picture) making the archive about `room` bytes longer. */
function addPicture(zip: Zip, name: string, room: number): void {
  const bytes = Math.max(0, room - ZIP_OVERHEAD - 2 * name.length);
  const picture = new ZipPassThrough(name);
  zip.add(picture);
  for (let left = bytes; left > 0; left -= 16 * 1024 * 1024) picture.push(randomBytes(Math.min(left, 16 * 1024 * 1024)), left <= 16 * 1024 * 1024);
  if (bytes === 0) picture.push(new Uint8Array(0), true);
}

/** The parts of `ooxml` deflated again (level 1), with a picture that brings the file to about `size` bytes. */
function paddedPackage(ooxml: Uint8Array, picture: string, size: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((error, data) => {
    if (error) throw error;
    parts.push(data);
  });
  let directory = 0; // the central directory, written at the end
  for (const [name, data] of Object.entries(unzipSync(ooxml))) {
    const file = new ZipDeflate(name, { level: 1 });
    zip.add(file);
    file.push(data, true);
    directory += 46 + Buffer.byteLength(name);
  }
  addPicture(zip, picture, size - directory - parts.reduce((n, p) => n + p.length, 0));
  zip.end();
  return Buffer.concat(parts);
}

/**
 * An xlsx of about `size` bytes whose one sheet has `rows` rows of a unique shared string (~16 characters)
 * and a number: the shared-string table is what an xlsx extractor must hold while it reads the sheets.
 */
export function xlsxWithSharedStrings(rows: number, size: number): Uint8Array {
  const seed = { value: 5 };
  const sheet = Array.from({ length: rows }, (_, i) => [`${words(seed, 2)} #${i}`, i * 3]);
  return paddedPackage(makeXlsx([{ name: "Orders", rows: sheet }]), "xl/media/image1.png", size);
}

/** A pptx of about `size` bytes with `slides` slides of `charsPerSlide` characters of text each (five paragraphs). */
export function pptxWithSlides(slides: number, charsPerSlide: number, size: number): Uint8Array {
  const seed = { value: 3 };
  const paragraph = () => {
    let text = "";
    while (text.length < charsPerSlide / 5) text += words(seed, 20) + " ";
    return [[text]];
  };
  const deck = Array.from({ length: slides }, () => [Array.from({ length: 5 }, () => paragraph()).flat()]);
  return paddedPackage(makePptx(deck), "ppt/media/image1.png", size);
}

/**
 * A PDF of about `size` bytes: `pages` pages of `charsPerPage` characters of text (FlateDecode content
 * streams, as most producers write them), and on the first page one grey-scale picture of random bytes.
 */
export function pdfWithPages(pages: number, charsPerPage: number, size: number): Uint8Array {
  const seed = { value: 13 };
  const out: Uint8Array[] = [];
  const offsets: number[] = [];
  let length = 0;
  const write = (part: string | Uint8Array) => {
    const bytes = typeof part === "string" ? Buffer.from(part, "latin1") : part;
    out.push(bytes);
    length += bytes.length;
  };
  const object = (n: number, body: string | Array<string | Uint8Array>) => {
    offsets[n] = length;
    write(`${n} 0 obj\n`);
    for (const part of typeof body === "string" ? [body] : body) write(part);
    write("\nendobj\n");
  };
  const pageObject = (i: number) => 5 + i * 2;
  write("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
  object(1, "<< /Type /Catalog /Pages 2 0 R >>");
  object(2, `<< /Type /Pages /Kids [${Array.from({ length: pages }, (_, i) => `${pageObject(i)} 0 R`).join(" ")}] /Count ${pages} >>`);
  object(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  const side = Math.max(1, Math.floor(Math.sqrt(Math.max(0, size - pages * (charsPerPage / 2 + 300)))));
  object(4, [`<< /Type /XObject /Subtype /Image /Width ${side} /Height ${side} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${side * side} >>\nstream\n`, randomBytes(side * side), "\nendstream"]);
  for (let i = 0; i < pages; i++) {
    const lines: string[] = [];
    for (let chars = 0; chars < charsPerPage; ) {
      const line = words(seed, 12);
      lines.push(`(${line}) Tj T*`);
      chars += line.length;
    }
    const picture = i === 0 ? "q 200 0 0 200 100 100 cm /Im1 Do Q " : "";
    const content = zlibSync(Buffer.from(`${picture}BT /F1 10 Tf 40 760 Td 12 TL ${lines.join(" ")} ET`, "latin1"), { level: 1 });
    const resources = `/Resources << /Font << /F1 3 0 R >>${i === 0 ? " /XObject << /Im1 4 0 R >>" : ""} >>`;
    object(pageObject(i), `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] ${resources} /Contents ${pageObject(i) + 1} 0 R >>`);
    object(pageObject(i) + 1, [`<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`, content, "\nendstream"]);
  }
  const count = pageObject(pages);
  const xref = length;
  write(`xref\n0 ${count}\n0000000000 65535 f \n`);
  for (let n = 1; n < count; n++) write(`${String(offsets[n]).padStart(10, "0")} 00000 n \n`);
  write(`trailer\n<< /Size ${count} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(out);
}

/** A YAML list of `bytes` bytes (about) of small records, the shape whose syntax tree is largest per byte. */
export function yamlRecords(bytes: number): Uint8Array {
  const seed = { value: 17 };
  const records: string[] = [];
  for (let size = 0, i = 0; size < bytes; i++) {
    const record = `- id: ${i}\n  name: ${words(seed, 2)}\n  tags: [${words(seed, 3).replace(/ /g, ", ")}]\n`;
    if (size + record.length > bytes) break;
    records.push(record);
    size += record.length;
  }
  return Buffer.from(records.join(""));
}
