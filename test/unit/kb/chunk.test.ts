import { describe, expect, it } from "vitest";
import {
  CHUNKING_CONFIG_KEYS,
  DEFAULT_CHUNKING,
  chunkDocument,
  chunkText,
  chunkTextDetailed,
  chunkingOptionsFromConfig,
  cleanText,
  type Chunk,
} from "../../../src/core/kb/chunk.js";

/** `count` words of `wordLength` letters (varying), separated by single spaces. */
function words(count: number, wordLength: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(String.fromCharCode(97 + (i % 26)).repeat(wordLength));
  return out.join(" ");
}

const spans = (chunks: Chunk[]) => chunks.map((c) => [c.start, c.end]);

/**
 * A literal port of the botserver's create_chunks (docs/botserver-compatibility.md, "Knowledge base: cleaning and chunking"), bugs included, for comparison.
 * Works on code points; assumes BMP text (the tests feed it ASCII).
 */
function botserverChunks(text: string, size = 1000, overlap = 200): Array<[number, number]> {
  const len = text.length;
  const step = size - overlap;
  const total = Math.min(Math.ceil(len / step), 1000);
  const out: Array<[number, number]> = [];
  let start = 0;
  let idx = 0;
  while (start < len && idx < total) {
    const end = Math.min(start + size, len);
    let chunkEnd = end;
    if (end < len) {
      for (let i = end - 1; i >= Math.max(start, end - 100); i--) {
        if (/\s/.test(text[i]!)) {
          chunkEnd = i + 1;
          break;
        }
      }
    }
    if (text.slice(start, chunkEnd).trim().length < 10) {
      start = chunkEnd;
      continue;
    }
    out.push([start, chunkEnd]);
    idx++;
    start = chunkEnd >= overlap ? chunkEnd - overlap : chunkEnd;
  }
  return out;
}

describe("cleanText — the botserver's clean_text", () => {
  it("drops control characters, collapses all white space to single spaces, trims", () => {
    expect(cleanText("  Hello\t\tworld \r\n\r\n  foo\u0001bar \u00a0 baz\u0085qux\u001cquux \n")).toBe("Hello world foobar baz quxquux");
  });

  it("uses Unicode White_Space like Rust (U+3000, U+2028 are spaces; U+FEFF and U+200B are not)", () => {
    expect(cleanText("a\u3000b\u2028c\u205fd")).toBe("a b c d");
    expect(cleanText("a\ufeffb\u200bc")).toBe("a\ufeffb\u200bc");
  });

  it("equals a literal port of the three steps on random text", () => {
    const RUST_WS = new Set([..."\t\n\u000b\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"]);
    const isWs = (ch: string) => RUST_WS.has(ch);
    const isCc = (ch: string) => {
      const c = ch.codePointAt(0)!;
      return c <= 0x1f || (c >= 0x7f && c <= 0x9f);
    };
    const trimWs = (s: string) => {
      const a = [...s];
      while (a.length > 0 && isWs(a[0]!)) a.shift();
      while (a.length > 0 && isWs(a.at(-1)!)) a.pop();
      return a.join("");
    };
    const reference = (text: string) => {
      // Rust str::lines: split on \n, strip one trailing \r
      const lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
      const step1 = lines.map(trimWs).filter((l) => l.length > 0).join("\n");
      const step2 = [...step1].filter((ch) => !isCc(ch) || isWs(ch)).join("");
      const words: string[] = [];
      let cur = "";
      for (const ch of step2) {
        if (isWs(ch)) {
          if (cur) words.push(cur);
          cur = "";
        } else cur += ch;
      }
      if (cur) words.push(cur);
      return words.join(" ");
    };
    const alphabet = ["a", "b", "é", "😀", " ", " ", "\n", "\r", "\t", "\u0000", "\u0001", "\u001c", "\u007f", "\u0085", "\u009f", "\u00a0", "\u200b", "\u3000", "\ufeff", "\u2028", "x"];
    let seed = 7;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let round = 0; round < 2000; round++) {
      const len = Math.floor(rnd() * 30);
      let text = "";
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(rnd() * alphabet.length)];
      expect(cleanText(text)).toBe(reference(text));
    }
  });

  it("keeps everything else, including astral characters", () => {
    expect(cleanText("ação 😀 naïve — ok")).toBe("ação 😀 naïve — ok");
    expect(cleanText("")).toBe("");
    expect(cleanText(" \n\t ")).toBe("");
  });
});

describe("chunkText with the defaults (1000 / 200 / 10)", () => {
  it("cuts at the last white space within 100 characters and overlaps by 200 (hand-computed)", () => {
    // 300 words of 5 letters: word k starts at 6k, spaces at 6k + 5, length 1799
    const text = words(300, 5);
    expect(text.length).toBe(1799);
    const chunks = chunkText(text);
    // chunk 0: end 1000, last space ≤ 999 is 995 → [0, 996); next start 796
    // chunk 1: end 1796, last space ≤ 1795 is 1793 → [796, 1794); next start 1594
    // chunk 2: end = len → [1594, 1799), the end: stop
    expect(spans(chunks)).toEqual([
      [0, 996],
      [796, 1794],
      [1594, 1799],
    ]);
    expect(chunks.map((c) => c.index)).toEqual([0, 1, 2]);
    for (const c of chunks) expect(c.text).toBe(text.slice(c.start, c.end));
    expect(chunks[0]!.text.endsWith(" ")).toBe(true); // kept as is, like the botserver
    expect(chunks[0]!.text.slice(-200)).toBe(chunks[1]!.text.slice(0, 200)); // overlap
  });

  it("cuts hard at 1000 when there is no white space in the last 100 characters", () => {
    const text = "x".repeat(2500);
    expect(spans(chunkText(text))).toEqual([
      [0, 1000],
      [800, 1800],
      [1600, 2500],
    ]);
    // a space 101 characters before the end is outside the window
    const t2 = "y".repeat(899) + " " + "y".repeat(1100);
    expect(chunkText(t2)[0]!.end).toBe(1000);
    const t3 = "y".repeat(900) + " " + "y".repeat(1100);
    expect(chunkText(t3)[0]!.end).toBe(901);
  });

  it("a text of at most 1000 characters is one chunk", () => {
    const text = words(100, 9); // 999 characters
    expect(spans(chunkText(text))).toEqual([[0, 999]]);
    expect(spans(chunkText("z".repeat(1000)))).toEqual([[0, 1000]]);
  });

  it("skips tiny chunks: fewer than 10 non-white-space-trimmed characters", () => {
    expect(chunkText("")).toEqual([]);
    expect(chunkText("123456789")).toEqual([]);
    expect(chunkText("   123456789   ")).toEqual([]);
    expect(spans(chunkText("1234567890"))).toEqual([[0, 10]]);
  });

  it("matches a literal port of the botserver on text it handles correctly, minus its duplicate tail chunk", () => {
    let seed = 42;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let round = 0; round < 50; round++) {
      const parts: string[] = [];
      const len = 200 + Math.floor(rnd() * 6000);
      let n = 0;
      while (n < len) {
        const w = "w".repeat(1 + Math.floor(rnd() * 12));
        parts.push(w);
        n += w.length + 1;
      }
      const text = parts.join(" ");
      const ours = spans(chunkText(text));
      const theirs = botserverChunks(text);
      // the botserver only ever emits extra chunks after the one that reaches the end, or stops early
      const k = theirs.findIndex(([, e]) => e === text.length);
      if (k >= 0) expect(ours).toEqual(theirs.slice(0, k + 1));
      else expect(ours.slice(0, theirs.length)).toEqual(theirs);
      expect(ours.at(-1)?.[1]).toBe(text.length);
    }
  });

  it("does not emit the botserver's duplicate tail chunk (pure overlap)", () => {
    const text = "q".repeat(1000);
    // botserver: total = ceil(1000/800) = 2 → [0,1000) and then [800,1000), which is contained in the first
    expect(botserverChunks(text)).toEqual([
      [0, 1000],
      [800, 1000],
    ]);
    expect(spans(chunkText(text))).toEqual([[0, 1000]]);
  });

  it("does not drop the tail of long documents, which the botserver's ceil(len/800) chunk budget does", () => {
    // 95-letter words: every cut loses up to 95 characters, so steps are ~710 instead of 800
    const text = words(100, 95); // 9599 characters → botserver budget ceil(9599/800) = 12 chunks
    const theirs = botserverChunks(text);
    expect(theirs).toHaveLength(12);
    expect(theirs.at(-1)![1]).toBeLessThan(text.length); // the botserver never reaches the end
    const ours = chunkText(text);
    expect(ours.at(-1)!.end).toBe(text.length);
    expect(ours.length).toBeGreaterThan(12);
  });

  it("every consecutive pair overlaps by exactly `overlap` characters, every cut is after white space", () => {
    const text = words(2000, 7);
    const chunks = chunkText(text);
    for (let i = 1; i < chunks.length; i++) {
      const prev = chunks[i - 1]!;
      const cur = chunks[i]!;
      expect(cur.start).toBe(prev.end - 200);
      expect(prev.text.slice(-200)).toBe(cur.text.slice(0, 200));
      expect(prev.text.endsWith(" ")).toBe(true);
      expect(prev.end - prev.start).toBeGreaterThan(900);
      expect(prev.end - prev.start).toBeLessThanOrEqual(1000);
    }
    expect(chunks.at(-1)!.end).toBe(text.length);
  });
});

describe("chunkText with custom options", () => {
  it("size 100 / overlap 20: the look-back window is min(100, 100 − 20 − 1) = 79 (hand-computed)", () => {
    // 36 words of 6 letters: spaces at 7k + 6, length 251
    const text = words(36, 6);
    expect(text.length).toBe(251);
    // [0, 98) (space at 97), start 78 → [78, 175) (space at 174), start 155 → [155, 251) end
    expect(spans(chunkText(text, { size: 100, overlap: 20 }))).toEqual([
      [0, 98],
      [78, 175],
      [155, 251],
    ]);
  });

  it("a skipped tiny chunk advances without overlap and takes no index", () => {
    const text = "a".repeat(50) + " ".repeat(150) + "b".repeat(50);
    const chunks = chunkText(text, { size: 100, overlap: 20, minChunk: 10 });
    // [0,100) kept; [80,180) is all spaces → skipped, next start 180 (no overlap); [180,250) kept as index 1
    expect(chunks.map((c) => [c.index, c.start, c.end])).toEqual([
      [0, 0, 100],
      [1, 180, 250],
    ]);
  });

  it("minChunk 0 keeps everything; a large minChunk skips short documents", () => {
    expect(spans(chunkText("abc", { minChunk: 0 }))).toEqual([[0, 3]]);
    expect(chunkText("a".repeat(40), { minChunk: 50 })).toEqual([]);
  });

  it("overlap 0 gives adjacent chunks", () => {
    expect(spans(chunkText("x".repeat(250), { size: 100, overlap: 0 }))).toEqual([
      [0, 100],
      [100, 200],
      [200, 250],
    ]);
  });

  it("maxChunks stops early and reports truncation", () => {
    const r = chunkTextDetailed("x".repeat(1000), { size: 100, overlap: 0, maxChunks: 3 });
    expect(spans(r.chunks)).toEqual([
      [0, 100],
      [100, 200],
      [200, 300],
    ]);
    expect(r.truncated).toBe(true);
    expect(chunkTextDetailed("x".repeat(300), { size: 100, overlap: 0, maxChunks: 3 }).truncated).toBe(false);
  });

  it("rejects options that cannot terminate", () => {
    expect(() => chunkText("abc", { size: 0 })).toThrow(RangeError);
    expect(() => chunkText("abc", { size: 100, overlap: 100 })).toThrow(RangeError);
    expect(() => chunkText("abc", { size: 10.5 })).toThrow(RangeError);
    expect(() => chunkText("abc", { maxChunks: 0 })).toThrow(RangeError);
  });

  it("always makes progress, even with a large overlap", () => {
    const text = words(500, 3);
    const chunks = chunkText(text, { size: 100, overlap: 99, minChunk: 0 });
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBeGreaterThan(chunks[i - 1]!.start);
    expect(chunks.at(-1)!.end).toBe(text.length);
  });
});

describe("offsets are code points (Rust chars), with UTF-16 offsets alongside", () => {
  it("counts an astral character as one", () => {
    const text = "😀".repeat(1500);
    const chunks = chunkText(text);
    expect(spans(chunks)).toEqual([
      [0, 1000],
      [800, 1500],
    ]);
    expect(chunks.map((c) => [c.utf16Start, c.utf16End])).toEqual([
      [0, 2000],
      [1600, 3000],
    ]);
    expect(chunks[0]!.text).toBe("😀".repeat(1000));
    for (const c of chunks) expect(text.slice(c.utf16Start, c.utf16End)).toBe(c.text);
  });

  it("mixes BMP and astral text", () => {
    const text = ("ação 😀 " + "x".repeat(20) + " ").repeat(100);
    const chunks = chunkText(text, { size: 200, overlap: 40 });
    const cps = Array.from(text);
    for (const c of chunks) {
      expect(c.text).toBe(cps.slice(c.start, c.end).join(""));
      expect(text.slice(c.utf16Start, c.utf16End)).toBe(c.text);
    }
    expect(chunks.at(-1)!.end).toBe(cps.length);
  });
});

describe("chunkDocument = clean + chunk", () => {
  it("chunks the cleaned text and returns it", () => {
    const doc = chunkDocument("Title\n\n\tFirst   paragraph.\r\n\u0000Second paragraph.   ");
    expect(doc.text).toBe("Title First paragraph. Second paragraph.");
    expect(doc.chunks).toEqual([{ index: 0, text: doc.text, start: 0, end: doc.text.length, utf16Start: 0, utf16End: doc.text.length }]);
    expect(doc.truncated).toBe(false);
  });

  it("empty and white-space-only documents have no chunks", () => {
    expect(chunkDocument("").chunks).toEqual([]);
    expect(chunkDocument(" \n \t ").chunks).toEqual([]);
  });
});

describe("chunkingOptionsFromConfig", () => {
  it("names its keys", () => {
    expect(CHUNKING_CONFIG_KEYS).toEqual({
      size: "kb-chunk-size",
      overlap: "kb-chunk-overlap",
      minChunk: "kb-min-chunk-size",
      maxChunks: "kb-max-chunks",
    });
  });

  it("gives the botserver defaults for an empty config, and ignores unrelated and empty keys", () => {
    expect(chunkingOptionsFromConfig({})).toEqual({ options: { ...DEFAULT_CHUNKING }, diagnostics: [] });
    expect(chunkingOptionsFromConfig({ "embedding-url": "x", "kb-chunk-size": "", "kb-chunk-overlap": "  " })).toEqual({
      options: { size: 1000, overlap: 200, minChunk: 10, maxChunks: 10_000 },
      diagnostics: [],
    });
  });

  it("reads valid values", () => {
    expect(
      chunkingOptionsFromConfig({ "kb-chunk-size": " 1500 ", "kb-chunk-overlap": "300", "kb-min-chunk-size": "25", "kb-max-chunks": "50000" }),
    ).toEqual({ options: { size: 1500, overlap: 300, minChunk: 25, maxChunks: 50_000 }, diagnostics: [] });
    expect(chunkingOptionsFromConfig({ "kb-chunk-overlap": "0" }).options.overlap).toBe(0);
    expect(chunkingOptionsFromConfig({ "kb-chunk-overlap": "500" }).options.overlap).toBe(500);
  });

  it("scales the default overlap down for small chunks: min(200, size / 5)", () => {
    expect(chunkingOptionsFromConfig({ "kb-chunk-size": "500" }).options).toMatchObject({ size: 500, overlap: 100 });
    expect(chunkingOptionsFromConfig({ "kb-chunk-size": "4000" }).options).toMatchObject({ size: 4000, overlap: 200 });
  });

  it.each([
    [{ "kb-chunk-size": "abc" }, "kb-chunk-size", { size: 1000 }],
    [{ "kb-chunk-size": "99" }, "kb-chunk-size", { size: 1000 }],
    [{ "kb-chunk-size": "100001" }, "kb-chunk-size", { size: 1000 }],
    [{ "kb-chunk-size": "1e3" }, "kb-chunk-size", { size: 1000 }],
    [{ "kb-chunk-size": "-500" }, "kb-chunk-size", { size: 1000 }],
    [{ "kb-chunk-size": "800.5" }, "kb-chunk-size", { size: 1000 }],
    [{ "kb-chunk-overlap": "-1" }, "kb-chunk-overlap", { overlap: 200 }],
    [{ "kb-chunk-overlap": "501" }, "kb-chunk-overlap", { overlap: 200 }],
    [{ "kb-chunk-size": "300", "kb-chunk-overlap": "200" }, "kb-chunk-overlap", { size: 300, overlap: 60 }],
    [{ "kb-min-chunk-size": "x" }, "kb-min-chunk-size", { minChunk: 10 }],
    [{ "kb-chunk-size": "200", "kb-min-chunk-size": "201" }, "kb-min-chunk-size", { size: 200, minChunk: 10 }],
    [{ "kb-max-chunks": "0" }, "kb-max-chunks", { maxChunks: 10_000 }],
    [{ "kb-max-chunks": "1000001" }, "kb-max-chunks", { maxChunks: 10_000 }],
  ])("invalid %j → default and a diagnostic for %s", (config, key, expected) => {
    const { options, diagnostics } = chunkingOptionsFromConfig(config as Record<string, string>);
    expect(options).toMatchObject(expected);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ key, value: (config as Record<string, string>)[key] });
    expect(diagnostics[0]!.message).toContain(key);
    // the options it gives are always usable
    expect(() => chunkText("some text here", options)).not.toThrow();
  });

  it("reports several problems at once", () => {
    const { options, diagnostics } = chunkingOptionsFromConfig({ "kb-chunk-size": "big", "kb-chunk-overlap": "lots", "kb-max-chunks": "-1" });
    expect(options).toEqual({ ...DEFAULT_CHUNKING });
    expect(diagnostics.map((d) => d.key)).toEqual(["kb-chunk-size", "kb-chunk-overlap", "kb-max-chunks"]);
  });

  it("does not read inherited properties", () => {
    const config = Object.create({ "kb-chunk-size": "500" }) as Record<string, string>;
    expect(chunkingOptionsFromConfig(config).options.size).toBe(1000);
  });
});
