import { describe, expect, it } from "vitest";
import { zipSync } from "fflate";
import { BotsyncError } from "../../../src/core/errors.js";
import { failure } from "../../harness/botsync-failure.js";
import { extractText } from "../../../src/core/kb/extract/extract.js";
import type { KbFormat } from "../../../src/core/kb/kb-format.js";
import { docxBody, makeDocx, makePptx, makeXlsx, ooxmlShell, utf8, zipParts } from "./documents.js";


const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

describe("docx", () => {
  it("extracts paragraphs, runs, tabs, breaks, tables, hyperlinks and footnotes", async () => {
    const body = [
      docxBody(["Employee Handbook", "Chapter 1 – Leave & holidays"]),
      // runs split mid-word, preserved spaces, a tab and a line break
      `<w:p><w:r><w:t>Every emp</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>loyee</w:t></w:r><w:r><w:t xml:space="preserve"> gets </w:t></w:r>` +
        `<w:r><w:t>30</w:t><w:tab/><w:t>days.</w:t><w:br/><w:t>Next line</w:t></w:r></w:p>`,
      // a hyperlink and a field whose code must not appear
      `<w:p><w:hyperlink r:id="rId9" xmlns:r="x"><w:r><w:t>the portal</w:t></w:r></w:hyperlink>` +
        `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>` +
        `<w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`,
      // tracked changes: deleted text is not text, inserted text is
      `<w:p><w:del><w:r><w:delText>old wording</w:delText></w:r></w:del><w:ins><w:r><w:t>new wording</w:t></w:r></w:ins></w:p>`,
      // a table
      `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Type</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Days</w:t></w:r></w:p></w:tc></w:tr>` +
        `<w:tr><w:tc><w:p><w:r><w:t>Vacation</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>30</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`,
      // a text box in mc:AlternateContent: the Fallback repeats the Choice and must not be read twice
      `<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>Boxed note</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>` +
        `<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Boxed note</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>`,
      `<w:p/>`,
      `<w:p><w:r><w:t>Não&#160;há &lt;limite&gt; — ação</w:t><w:noBreakHyphen/><w:t>já</w:t></w:r></w:p>`,
    ].join("");
    const docx = makeDocx({ body, footnotes: ["See the HR portal."] });
    expect(await extractText("docx", docx)).toEqual({
      text: [
        "Employee Handbook",
        "Chapter 1 – Leave & holidays",
        "Every employee gets 30 days.",
        "Next line",
        "the portal7",
        "new wording",
        "Type",
        "Days",
        "Vacation",
        "30",
        "Boxed note",
        "Não há <limite> — ação-já",
        "",
        "See the HR portal.",
        "",
      ].join("\n"),
      meta: {},
    });
  });

  it("finds the main part through _rels/.rels, whatever it is called", async () => {
    const docx = zipParts({
      "[Content_Types].xml": `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
      "_rels/.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>`,
      "word/document2.xml": `<w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>Renamed main part</w:t></w:r></w:p></w:body></w:document>`,
    });
    expect((await extractText("docx", docx)).text).toBe("Renamed main part\n");
  });

  it("matches elements by local name, whatever the prefix", async () => {
    const docx = zipParts({
      ...ooxmlShell("docx"),
      "word/document.xml": `<ns0:document xmlns:ns0="${W}"><ns0:body><ns0:p><ns0:r><ns0:t>Other prefix</ns0:t></ns0:r></ns0:p></ns0:body></ns0:document>`,
    });
    expect((await extractText("docx", docx)).text).toBe("Other prefix\n");
  });

  it("reads stored (uncompressed) entries and UTF-16 parts", async () => {
    const xml = `<w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>UTF-16 ação 😀</w:t></w:r></w:p></w:body></w:document>`;
    const utf16 = new Uint8Array(2 + xml.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < xml.length; i++) {
      utf16[2 + i * 2] = xml.charCodeAt(i) & 0xff;
      utf16[3 + i * 2] = xml.charCodeAt(i) >> 8;
    }
    expect((await extractText("docx", zipParts({ ...ooxmlShell("docx"), "word/document.xml": utf16 }))).text).toBe("UTF-16 ação 😀\n");
    const stored = zipParts({ ...ooxmlShell("docx"), "word/document.xml": xml }, 0);
    expect((await extractText("docx", stored)).text).toBe("UTF-16 ação 😀\n");
  });

  it("an empty document gives no text", async () => {
    expect(await extractText("docx", makeDocx({ body: "" }))).toEqual({ text: "", meta: {} });
  });
});

describe("xlsx", () => {
  it("extracts every sheet in workbook order with shared strings, inline strings, numbers, booleans, errors and formula results", async () => {
    const xlsx = makeXlsx(
      [
        {
          name: "Prices",
          rows: [
            ["Product", "Price", "In stock"],
            ["Widget & Co", 12.5, true],
            ["Gadget", 7, false],
            [null, null, null],
            [{ inline: "inline <text>" }, { error: "#N/A" }, { formula: "A2&\"!\"", value: "Widget & Co!" }, { formula: "B2*2", value: 25 }],
          ],
        },
        { name: "Notes", rows: [["Prices include VAT."]] },
      ],
      { order: [1, 0] }, // the workbook lists "Notes" first
    );
    expect(await extractText("xlsx", xlsx)).toEqual({
      text: [
        "Notes",
        "Prices include VAT.",
        "",
        "Prices",
        "Product\tPrice\tIn stock",
        "Widget & Co\t12.5\tTRUE",
        "Gadget\t7\tFALSE",
        "inline <text>\t#N/A\tWidget & Co!\t25",
        "",
      ].join("\n"),
      meta: { sheets: 2 },
    });
  });

  it("joins rich-text runs of a shared string and drops phonetic runs", async () => {
    const NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const base = makeXlsx([{ name: "S", rows: [["placeholder"]] }]);
    const { unzipSync } = await import("fflate");
    const parts: Record<string, Uint8Array> = unzipSync(base);
    parts["xl/sharedStrings.xml"] = utf8(
      `<sst xmlns="${NS}"><si><r><t>Rich </t></r><r><rPr><b/></rPr><t>text</t></r><rPh sb="0" eb="1"><t>フリガナ</t></rPh></si></sst>`,
    );
    expect((await extractText("xlsx", zipSync(parts))).text).toBe("S\nRich text\n");
  });

  it("a workbook with an empty sheet and no shared strings", async () => {
    expect(await extractText("xlsx", makeXlsx([{ name: "Empty", rows: [] }]))).toEqual({ text: "Empty\n", meta: { sheets: 1 } });
  });
});

describe("pptx", () => {
  it("extracts slides in presentation order, one line per paragraph, without layout placeholders", async () => {
    const pptx = makePptx(
      [
        [[["Quarterly results"]], [["Revenue ", "up 12%"], ["Costs down & stable"]]],
        [[["Agenda"]], [["Intro"], ["Numbers"], ["Q&A"]]],
        [[["Thank you"]]],
      ],
      { order: [1, 0, 2] },
    );
    expect(await extractText("pptx", pptx)).toEqual({
      text: ["Agenda", "Intro", "Numbers", "Q&A", "", "Quarterly results", "Revenue up 12%", "Costs down & stable", "", "Thank you", ""].join("\n"),
      meta: { slides: 3 },
    });
  });

  it("orders slide10 after slide9 (order comes from sldIdLst, not file names)", async () => {
    const slides = Array.from({ length: 11 }, (_, i) => [[[`Slide number ${i + 1}`]]]);
    const r = await extractText("pptx", makePptx(slides));
    expect(r.text.split("\n").filter((l) => l !== "")).toEqual(slides.map((_, i) => `Slide number ${i + 1}`));
    expect(r.meta.slides).toBe(11);
  });
});

describe("broken OOXML files fail with KB_EXTRACTION_FAILED, never anything else", () => {
  const samples: Record<"docx" | "xlsx" | "pptx", Uint8Array> = {
    docx: makeDocx({ body: docxBody(["Hello world", "Second paragraph"]) }),
    xlsx: makeXlsx([{ name: "Sheet", rows: [["a", 1], ["b", 2]] }]),
    pptx: makePptx([[[["Title"]], [["Body text"]]]]),
  };

  for (const format of ["docx", "xlsx", "pptx"] as const) {
    const good = samples[format];

    it(`${format}: garbage bytes`, async () => {
      const e = await failure(extractText(format, utf8("this is not a zip file at all")));
      expect(e.code).toBe("KB_EXTRACTION_FAILED");
      expect(e.message).toContain("not a ZIP archive");
    });

    it(`${format}: truncated at every 5% — KB_EXTRACTION_FAILED (the central directory is at the end)`, async () => {
      for (let pct = 5; pct < 100; pct += 5) {
        const cut = good.slice(0, Math.floor((good.length * pct) / 100));
        const e = await failure(extractText(format, cut));
        expect(e.code).toBe("KB_EXTRACTION_FAILED");
      }
    });

    it(`${format}: corrupted bytes anywhere — always a result or a BotsyncError`, async () => {
      let seed = 1234;
      const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
      for (let round = 0; round < 40; round++) {
        const bad = good.slice();
        for (let k = 0; k < 4; k++) bad[Math.floor(rnd() * bad.length)] = Math.floor(rnd() * 256);
        try {
          const r = await extractText(format, bad);
          expect(typeof r.text).toBe("string");
        } catch (error) {
          expect(error).toBeInstanceOf(BotsyncError);
          expect((error as BotsyncError).code).toMatch(/^KB_EXTRACTION_FAILED$/);
        }
      }
    });

    it(`${format}: a valid ZIP without the main part`, async () => {
      const e = await failure(extractText(format, zipSync({ "hello.txt": utf8("hi") })));
      expect(e.code).toBe("KB_EXTRACTION_FAILED");
      expect(e.message).toContain("no main document part");
    });
  }

  it("malformed XML inside a valid package", async () => {
    const docx = zipParts({ ...ooxmlShell("docx"), "word/document.xml": `<w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>cut off` });
    const e = await failure(extractText("docx", docx));
    expect(e.code).toBe("KB_EXTRACTION_FAILED");
    expect(e.message).toMatch(/word\/document\.xml: malformed XML \(element <.*> is not closed\)/);
  });

  it("a password-protected Office file (an OLE compound file) says so", async () => {
    const ole = new Uint8Array(1024);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    for (const format of ["docx", "xlsx", "pptx"] as KbFormat[]) {
      const e = await failure(extractText(format, ole));
      expect(e.message).toContain("OLE compound file");
    }
  });

  it("an entry with an unsupported compression method", async () => {
    const docx = makeDocx({ body: docxBody(["x"]) });
    // patch every method field of word/document.xml to 99 (central directory and local header)
    const dv = new DataView(docx.buffer, docx.byteOffset, docx.byteLength);
    const name = utf8("word/document.xml");
    for (let p = 0; p + 46 < docx.length; p++) {
      const sig = dv.getUint32(p, true);
      const nameAt = sig === 0x02014b50 ? p + 46 : sig === 0x04034b50 ? p + 30 : -1;
      if (nameAt < 0) continue;
      if (name.every((b, i) => docx[nameAt + i] === b)) dv.setUint16(sig === 0x02014b50 ? p + 10 : p + 8, 99, true);
    }
    const e = await failure(extractText("docx", docx));
    expect(e.message).toContain("unsupported compression method 99");
  });
});
