/**
 * Large KB documents made on the fly, for the memory tests and the bench: a CSV of an exact size produced
 * as a stream (never held whole), and a docx whose text is far beyond the 10M-character extraction limit,
 * deflated as it is written. Text is pseudo-random words and numbers, so it compresses like real prose
 * (≈ 5×), not like a run of one byte.
 */
import { Readable } from "node:stream";
import { Zip, ZipDeflate, strToU8 } from "fflate";
import { ooxmlShell } from "../unit/kb/documents.js";

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
export function docxWithText(textChars: number, opts: { oneParagraph: boolean; level?: 1 | 6 }): Uint8Array {
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
  zip.end();
  return Buffer.concat(parts);
}
