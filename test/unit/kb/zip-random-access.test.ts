/**
 * The ZIP reader over RandomAccessBytes (a file spool on Node): it reads the end records, the central
 * directory and the entries it inflates, a block at a time, never the archive; reading stops at the text
 * limit; the bomb limits hold through it; a truncated or corrupt archive is a clear KB_EXTRACTION_FAILED.
 */
import { describe, expect, it } from "vitest";
import { deflateSync } from "fflate";
import { failure } from "../../harness/botsync-failure.js";
import { docxWithText } from "../../harness/large-documents.js";
import { extractText, extractTextFromStream, limitsFor } from "../../../src/core/kb/extract/extract.js";
import { bytesInMemory, spoolInMemory, type RandomAccessBytes, type Spool } from "../../../src/core/kb/extract/random-access.js";
import { MAX_CENTRAL_DIRECTORY_BYTES, READ_BLOCK, SafeZip } from "../../../src/core/kb/extract/zip.js";
import { Deadline } from "../../../src/core/kb/extract/context.js";
import { makeDocx, docxBody, ooxmlShell, rawZip, utf8 } from "./documents.js";

const MiB = 1024 * 1024;

/** A document in memory that counts what is read of it. */
function counted(bytes: Uint8Array): RandomAccessBytes & { readBytes: number; largestRead: number } {
  const inner = bytesInMemory(bytes);
  const source = {
    size: inner.size,
    readBytes: 0,
    largestRead: 0,
    read(offset: number, length: number) {
      const out = inner.read(offset, length);
      source.readBytes += out.length;
      source.largestRead = Math.max(source.largestRead, out.length);
      return out;
    },
  };
  return source;
}

/** Extracts a docx read through `source` the way the Node thread does (the spool hands the source back). */
async function extractThrough(source: RandomAccessBytes, size = source.size) {
  const spool: Spool = async (pieces) => {
    for await (const _ of pieces);
    return source;
  };
  return extractTextFromStream("docx", new Blob([new Uint8Array(size)]).stream(), size, limitsFor("docx"), spool);
}

const docxLimits = limitsFor("docx");

describe("the ZIP reader over a random-access source", () => {
  it("reads the directory and the parts it needs, never a 50 MiB picture beside them", async () => {
    const docx = docxWithText(20_000, { oneParagraph: false, paddedTo: 50 * MiB });
    expect(docx.length).toBeGreaterThan(49 * MiB);
    const source = counted(docx);
    const { text } = await extractThrough(source);
    expect(text.length).toBeGreaterThan(20_000);
    expect(source.readBytes).toBeLessThan(MiB);
    expect(source.largestRead).toBeLessThanOrEqual(Math.max(READ_BLOCK, 22 + 0xffff));
  });

  it("stops reading an entry at the text limit: a docx holding 40 MiB of text is read for its first ~10M characters", async () => {
    const docx = docxWithText(40 * MiB, { oneParagraph: true, level: 1 });
    const source = counted(docx);
    const { meta, text } = await extractThrough(source);
    expect(meta.truncated).toBe(true);
    expect(text.length).toBe(docxLimits.maxExtractedChars);
    // a quarter of the text, and a block more may be read ahead
    expect(source.readBytes).toBeLessThan(docx.length / 4 + READ_BLOCK);
  }, 30_000);

  it("the spool is used for the ZIP formats only, and gets the whole body", async () => {
    const docx = makeDocx({ body: docxBody(["through the spool"]) });
    let spooled = 0;
    const spool: Spool = async (pieces, size, max) => {
      spooled++;
      expect([size, max]).toEqual([docx.length, docxLimits.maxBytes]);
      return spoolInMemory(pieces, size, max);
    };
    const body = () => new Blob([new Uint8Array(docx)]).stream();
    expect((await extractTextFromStream("docx", body(), docx.length, docxLimits, spool)).text).toBe("through the spool\n");
    expect((await extractTextFromStream("txt", new Blob(["plain"]).stream(), 5, limitsFor("txt"), spool)).text).toBe("plain");
    expect(spooled).toBe(1);
  });

  it("keeps the bomb limits: entries, declared total, ratio", () => {
    const shell = Object.entries(ooxmlShell("docx")).map(([name, s]) => ({ name, deflated: deflateSync(utf8(s)), declaredSize: utf8(s).length }));
    const tooMany = rawZip([...shell, ...Array.from({ length: 30 }, (_, i) => ({ name: `x${i}`, deflated: deflateSync(utf8("x")), declaredSize: 1 }))]);
    expect(() => SafeZip.open(counted(tooMany), { ...docxLimits, maxZipEntries: 20 }, "DOCX")).toThrow(/lists 32 entries, more than the limit of 20/);
    const declared = rawZip([...shell, { name: "word/document.xml", deflated: deflateSync(utf8("<x/>")), declaredSize: 2 * 1024 * MiB - 1 }]);
    expect(() => SafeZip.open(counted(declared), docxLimits, "DOCX")).toThrow(/declares more than 1024.0 MiB of uncompressed data/);
    const ratio = rawZip([...shell, { name: "word/document.xml", deflated: new Uint8Array(1000), declaredSize: 1000 * 1000 }]);
    expect(() => SafeZip.open(counted(ratio), docxLimits, "DOCX")).toThrow(/expands 1000×/);
  });

  it("refuses a central directory larger than an archive of the entry limit can have, without reading it", () => {
    const zip = rawZip([{ name: "a", deflated: deflateSync(utf8("a")), declaredSize: 1 }]);
    const eocd = zip.length - 22;
    const patched = new Uint8Array(MAX_CENTRAL_DIRECTORY_BYTES + 64 * 1024);
    patched.set(zip.subarray(0, eocd));
    const end = zip.slice(eocd);
    new DataView(end.buffer).setUint32(12, MAX_CENTRAL_DIRECTORY_BYTES + 1, true);
    new DataView(end.buffer).setUint32(16, 0, true);
    patched.set(end, patched.length - 22);
    const source = counted(patched);
    expect(() => SafeZip.open(source, docxLimits, "DOCX")).toThrow(/the central directory is 16\.0 MiB, more than the 16\.0 MiB/);
    expect(source.readBytes).toBeLessThan(100 * 1024);
  });

  describe("a truncated or corrupt archive is a clear error, never a crash", () => {
    const docx = makeDocx({ body: docxBody(["whole"]) });
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ["cut in half", docx.subarray(0, docx.length >> 1), /not a ZIP archive \(no end of central directory record; truncated/],
      ["without its last byte", docx.subarray(0, docx.length - 1), /not a ZIP archive/],
      ["with its start cut off", docx.subarray(200), /central directory (lies outside the file|entry 0 is corrupt)|local header .* is corrupt/],
      ["random bytes", Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff), /not a ZIP archive/],
      ["one byte", new Uint8Array([0x50]), /not a ZIP archive/],
    ];
    for (const [what, bytes, message] of cases) {
      it(what, async () => {
        const e = await failure(extractThrough(bytesInMemory(bytes)));
        expect(e.code).toBe("KB_EXTRACTION_FAILED");
        expect(e.message).toMatch(message);
      });
    }

    it("an entry whose data runs past the end of the file", () => {
      const body = utf8("<w:document/>");
      const zip = rawZip([{ name: "word/document.xml", deflated: deflateSync(body), declaredSize: body.length }]);
      const cd = new DataView(zip.buffer, zip.byteOffset).getUint32(zip.length - 22 + 16, true);
      // the entry claims more compressed bytes than the file holds before its central directory ends
      new DataView(zip.buffer, zip.byteOffset).setUint32(cd + 20, zip.length, true);
      const archive = SafeZip.open(bytesInMemory(zip), docxLimits, "DOCX");
      expect(() => archive.read("word/document.xml", new Deadline(1000))).toThrow(/entry "word\/document.xml" is truncated/);
    });
  });

  it("the in-memory API reads the same text as the spooled one", async () => {
    const docx = makeDocx({ body: docxBody(["one", "two"]) });
    expect((await extractText("docx", docx)).text).toBe((await extractThrough(bytesInMemory(docx))).text);
  });
});
