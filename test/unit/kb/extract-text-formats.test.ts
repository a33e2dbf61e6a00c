import { describe, expect, it } from "vitest";
import { extractText } from "../../../src/core/kb/extract/extract.js";
import { decodeText } from "../../../src/core/kb/extract/decode-text.js";
import { failure } from "../../harness/botsync-failure.js";
import { utf8 } from "./documents.js";

const bytes = (...b: number[]) => new Uint8Array(b);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};


describe("decoding the text formats", () => {
  it("UTF-8, with and without a BOM", () => {
    expect(decodeText(utf8("ação"))).toEqual({ text: "ação", encoding: "utf-8", warnings: [] });
    expect(decodeText(concat(bytes(0xef, 0xbb, 0xbf), utf8("\ufeffação")))).toMatchObject({ text: "\ufeffação" }); // only ONE BOM is stripped
    expect(decodeText(concat(bytes(0xef, 0xbb, 0xbf), utf8("x"))).text).toBe("x");
  });

  it("UTF-16 with a BOM (Notepad's 'Unicode')", () => {
    expect(decodeText(bytes(0xff, 0xfe, 0x61, 0x00, 0xe7, 0x00, 0x3d, 0xd8, 0x00, 0xde))).toMatchObject({ text: "aç😀", encoding: "utf-16le" });
    expect(decodeText(bytes(0xfe, 0xff, 0x00, 0x61, 0x00, 0xe7))).toMatchObject({ text: "aç", encoding: "utf-16be" });
  });

  it("legacy 8-bit text is decoded as Windows-1252, with a warning", () => {
    // "Ação – “ok” €" in Windows-1252
    const cp1252 = bytes(0x41, 0xe7, 0xe3, 0x6f, 0x20, 0x96, 0x20, 0x93, 0x6f, 0x6b, 0x94, 0x20, 0x80);
    expect(decodeText(cp1252)).toEqual({ text: "Ação – “ok” €", encoding: "windows-1252", warnings: ["not valid UTF-8; decoded as Windows-1252"] });
  });

  it("UTF-8 with a few bad bytes keeps UTF-8, replaces them and says how many", () => {
    const mostlyUtf8 = concat(utf8("ação é ótimo "), bytes(0xff), utf8(" fim"));
    expect(decodeText(mostlyUtf8)).toEqual({
      text: "ação é ótimo \ufffd fim",
      encoding: "utf-8",
      warnings: ["1 invalid UTF-8 byte sequence replaced with U+FFFD"],
    });
  });

  it("decodes only a prefix when asked for at most N characters, never splitting a character", () => {
    const text = "é".repeat(100);
    const r = decodeText(utf8(text), 10);
    expect(r.text.length).toBeGreaterThanOrEqual(11);
    expect(r.text.length).toBeLessThan(100);
    expect(r.text).toBe("é".repeat(r.text.length));
  });
});

describe("txt and md: as-is, as the botserver reads them", () => {
  it("returns the text unchanged (cleaning is chunkDocument's job)", async () => {
    const raw = "Line one\r\n\r\n  indented\tline\n# not a heading for txt\n";
    expect(await extractText("txt", utf8(raw))).toEqual({ text: raw, meta: {} });
  });

  it("markdown keeps its syntax", async () => {
    const md = "# Title\n\n- item **bold**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\ncode()\n```\n[link](https://x.y/)";
    expect((await extractText("md", utf8(md))).text).toBe(md);
  });

  it("reports decoding warnings in meta", async () => {
    expect(await extractText("txt", bytes(0x63, 0x61, 0xe7, 0xe3, 0x6f))).toEqual({
      text: "cação",
      meta: { warnings: ["not valid UTF-8; decoded as Windows-1252"] },
    });
  });
});

describe("csv and tsv: the lines verbatim, as the botserver keeps them", () => {
  it("csv", async () => {
    const csv = 'name,city,quote\nAda,London,"said ""hi"", then left"\nAlan,"Wilmslow, UK",\n';
    expect((await extractText("csv", utf8(csv))).text).toBe(csv);
  });

  it("tsv", async () => {
    const tsv = "name\tcity\nAda\tLondon\n";
    expect((await extractText("tsv", utf8(tsv))).text).toBe(tsv);
  });

  it("a malformed CSV is still indexed (verbatim cannot fail)", async () => {
    const csv = 'a,"unterminated\nb,c\n';
    expect((await extractText("csv", utf8(csv))).text).toBe(csv);
  });
});

describe("json and jsonl", () => {
  it("writes every scalar leaf on a line, member names as prefixes, in document order", async () => {
    const json = JSON.stringify({
      product: "Widget",
      price: 12.5,
      inStock: true,
      discontinued: null,
      tags: ["blue", "small"],
      dims: { w: 3, h: 4 },
      variants: [{ sku: "W-1", colour: "red" }, { sku: "W-2" }],
      empty: "",
    });
    expect(await extractText("json", utf8(json))).toEqual({
      text: "product: Widget\nprice: 12.5\ninStock: true\ntags: blue\ntags: small\nw: 3\nh: 4\nsku: W-1\ncolour: red\nsku: W-2\n",
      meta: {},
    });
  });

  it("a top-level scalar or array has no names", async () => {
    expect((await extractText("json", utf8('["a", 1, ["b"]]'))).text).toBe("a\n1\nb\n");
    expect((await extractText("json", utf8('"just text"'))).text).toBe("just text\n");
  });

  it("invalid JSON is indexed as plain text with a warning (the botserver's fallback)", async () => {
    const r = await extractText("json", utf8('{"a": "unterminated'));
    expect(r.text).toBe('{"a": "unterminated');
    expect(r.meta.warnings?.[0]).toMatch(/^not valid JSON \(.*\); indexed as plain text$/);
  });

  it("deeply nested JSON does not overflow the stack", async () => {
    const deep = "[".repeat(50_000) + '"bottom"' + "]".repeat(50_000);
    expect((await extractText("json", utf8(deep))).text).toBe("bottom\n");
  });

  it("jsonl: one value per line, bad lines kept verbatim and counted", async () => {
    const jsonl = '{"q":"How do I reset?","a":"Hold the button."}\n\n{"q":"Warranty?","a":"2 years"}\nnot json\n[1,2]\r\n';
    expect(await extractText("jsonl", utf8(jsonl))).toEqual({
      text: "q: How do I reset?\na: Hold the button.\nq: Warranty?\na: 2 years\nnot json\n1\n2\n",
      meta: { warnings: ["1 line is not valid JSON; indexed as plain text"] },
    });
  });
});

describe("yaml", () => {
  it("flattens mappings and sequences like JSON, across documents", async () => {
    const yaml = [
      "title: Employee handbook",
      "version: 3",
      "sections:",
      "  - name: Leave",
      "    days: 25",
      "  - name: Remote work",
      "    allowed: yes",
      "empty:",
      "motto: >",
      "  folded",
      "  text",
      "---",
      "- second document",
      "",
    ].join("\n");
    expect(await extractText("yaml", utf8(yaml))).toEqual({
      text: "title: Employee handbook\nversion: 3\nname: Leave\ndays: 25\nname: Remote work\nallowed: yes\nmotto: folded text\nsecond document\n",
      meta: {},
    });
  });

  it("an alias to a scalar is its value; aliases to collections are never expanded (no billion laughs)", async () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(",")}]`);
    }
    lines.push("name: &n Ada", "again: *n");
    const started = Date.now();
    const r = await extractText("yaml", utf8(lines.join("\n")));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(r.text).toBe("a: lol\n".repeat(9) + "name: Ada\nagain: Ada\n");
  });

  it("invalid YAML is indexed as plain text with a warning", async () => {
    const bad = "key: [unclosed\nother: {";
    const r = await extractText("yaml", utf8(bad));
    expect(r.text).toBe(bad);
    expect(r.meta.warnings?.[0]).toMatch(/^not valid YAML \(.*\); indexed as plain text$/);
  });
});

describe("xml", () => {
  it("extracts the character data in order, one line per element boundary", async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<catalog xmlns:x="urn:x">
  <book id="1"><title>Dom Casmurro</title><author>Machado de Assis</author></book>
  <book id="2"><title>Lovelace &amp; Babbage &#8211; &lt;notes&gt;</title><x:note><![CDATA[<raw> & unescaped]]></x:note></book>
  <?pi ignored?>
  <empty/>
  <mixed>Hello <b>bold</b> world</mixed>
</catalog>`;
    expect(await extractText("xml", utf8(xml))).toEqual({
      text: "Dom Casmurro\nMachado de Assis\nLovelace & Babbage – <notes>\n<raw> & unescaped\nHello\nbold\nworld\n",
      meta: {},
    });
  });

  it("does not expand DTD entities (no entity bombs)", async () => {
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY a "boom">\n<!ENTITY b "&a;&a;&a;&a;&a;">\n]>\n<r>&b; &amp;</r>`;
    expect((await extractText("xml", utf8(xml))).text).toBe("&b; &\n");
    expect((await extractText("xml", utf8(`<!DOCTYPE html SYSTEM "about:legacy"><r>x</r>`))).text).toBe("x\n");
  });

  it.each([
    ["<r><a>unclosed</r>", "element <a> is not closed"],
    ["<r><a>truncated", "is not closed"],
    ["<r><a>fine</a>", "element <r> is not closed"],
    ["<r/><r/>", "a second root element"],
    ["text before <r/>", "text before the root element"],
    ["<r/> text after", "text after the root element"],
    ["just text", "text before the root element"],
    ["<!-- only a comment -->", "no root element"],
    ["<r><a attr=\"x", "is not closed"],
  ])("malformed %j → KB_EXTRACTION_FAILED (%s)", async (xml, reason) => {
    const e = await failure(extractText("xml", utf8(xml)));
    expect(e.code).toBe("KB_EXTRACTION_FAILED");
    expect(e.message).toContain("malformed XML");
    expect(e.message).toContain(reason);
    expect(e.retryable).toBe(false);
  });

  it("white space around the root and self-closing elements are fine", async () => {
    expect((await extractText("xml", utf8("\n\n<r>\n<a/><b x='1'/>t</r>\n\n"))).text).toBe("t\n");
  });
});

describe("html", () => {
  it("keeps visible text with block boundaries, drops scripts and styles, decodes entities", async () => {
    const html = `<!DOCTYPE html>
<html lang="pt-BR"><head><meta charset="utf-8"><title>Política de férias</title>
<style>body { color: red }</style><script>var secret = "<p>not text</p>";</script></head>
<body>
  <nav><ul><li><a href="/">Início</a></li><li>Contato</li></ul></nav>
  <h1>Férias &amp; licenças</h1>
  <p>Cada colaborador tem <strong>30 dias</strong> de férias&nbsp;por ano.<br>Veja a tabela:</p>
  <table><tr><th>Tipo</th><th>Dias</th></tr><tr><td>Férias</td><td>30</td></tr></table>
  <noscript>Enable JavaScript</noscript>
  <template><p>hidden</p></template>
  <svg><text>chart label</text></svg>
  <div>Fin<span>al</span> do texto<!-- comment --></div>
</body></html>`;
    expect(await extractText("html", utf8(html))).toEqual({
      text: [
        "Política de férias",
        "Início",
        "Contato",
        "Férias & licenças",
        "Cada colaborador tem 30 dias de férias\u00a0por ano.".replace("\u00a0", " "),
        "Veja a tabela:",
        "Tipo Dias",
        "Férias 30",
        "Final do texto",
        "",
      ].join("\n"),
      meta: {},
    });
  });

  it("broken HTML is recovered, never rejected", async () => {
    expect((await extractText("html", utf8("<p>one<p>two<div>three</span><li>four"))).text).toBe("one\ntwo\nthree\nfour\n");
    expect((await extractText("html", utf8("plain text, no tags"))).text).toBe("plain text, no tags\n");
    expect((await extractText("html", utf8("<script>never closed"))).text).toBe("");
  });

  it("decodes a Windows-1252 page", async () => {
    const r = await extractText("html", concat(utf8("<p>Informa"), bytes(0xe7, 0xf5), utf8("es</p>")));
    expect(r).toEqual({ text: "Informações\n", meta: { warnings: ["not valid UTF-8; decoded as Windows-1252"] } });
  });
});
