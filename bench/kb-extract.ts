/**
 * Knowledge-base throughput: for each format, MB/s of text extraction + cleaning + chunking (the defaults:
 * 1000 / 200) on a generated document of a few MB, printed as JSON on stdout (progress on stderr).
 *
 *   npx tsx bench/kb-extract.ts [--quick] [--only=pdf,docx] [--runs=3]
 *
 * Documents are built in memory with the same builders the tests use (test/unit/kb/documents.ts): real
 * OOXML packages and PDFs. Each format is run once to warm up, then `runs` times; the median run is
 * reported. `mbPerSec` = input bytes / (extract + chunk) wall time; `mbPerCpuSec` = the same per second of
 * this process's CPU time (steadier when the machine is busy); `textMBPerSec` = extracted characters / wall
 * time (for ZIP formats the input is compressed, so both are given). No network, no files.
 */
import { chunkDocument } from "../src/core/kb/chunk.js";
import { extractText } from "../src/core/kb/extract/extract.js";
import type { KbFormat } from "../src/core/kb/kb-format.js";
import { docxBody, makeDocx, makePdf, makePptx, makeXlsx, utf8, xmlEscape, type Cell } from "../test/unit/kb/documents.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const onlyArg = args.find((a) => a.startsWith("--only="))?.slice(7);
const runs = Number(args.find((a) => a.startsWith("--runs="))?.slice(7) ?? (quick ? 1 : 3));
const scale = quick ? 0.25 : 1;

// ---------------------------------------------------------------------------------------------------------
// deterministic prose

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/** Common words plus 20,000 syllable-made words, so the text compresses like prose (~3×), not like a loop. */
const VOCAB = (() => {
  const common = (
    "the of and to in is for on that with as by this be are from at or an it not which have has was were will can " +
    "employee policy leave vacation days salary benefits remote work office manager request approval document section " +
    "ação informação colaborador férias política benefício salário gestão atendimento cliente relatório"
  ).split(" ");
  const syllables = "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi go la le li lo lu ma me mi mo mu na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi vo ção ões str tr pl an en in on un".split(" ");
  const r = rng(99);
  const words = [...common, ...common, ...common];
  for (let i = 0; i < 20_000; i++) {
    const n = 1 + Math.floor(r() * 4);
    let w = "";
    for (let k = 0; k < n; k++) w += syllables[Math.floor(r() * syllables.length)];
    words.push(w);
  }
  return words;
})();

function sentence(r: () => number, words = 8 + Math.floor(r() * 14)): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(VOCAB[Math.floor(r() * VOCAB.length)] as string);
  const s = out.join(" ");
  return s.charAt(0).toUpperCase() + s.slice(1) + ".";
}

function paragraphs(targetChars: number, seed: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  let n = 0;
  while (n < targetChars) {
    const p = Array.from({ length: 3 + Math.floor(r() * 5) }, () => sentence(r)).join(" ");
    out.push(p);
    n += p.length + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// documents

const MB = 1024 * 1024;

function build(format: KbFormat): Uint8Array {
  const size = Math.round(4 * MB * scale);
  switch (format) {
    case "txt":
      return utf8(paragraphs(size, 1).join("\n\n"));
    case "md":
      return utf8(paragraphs(size, 2).map((p, i) => (i % 10 === 0 ? `## Section ${i / 10}\n\n${p}` : `- ${p}`)).join("\n\n"));
    case "html":
      return utf8(
        `<!DOCTYPE html><html><head><title>Bench</title><style>p{margin:0}</style></head><body>` +
          paragraphs(size * 0.85, 3).map((p, i) => (i % 8 === 0 ? `<h2>Section ${i}</h2>` : "") + `<p>${p.replace(/\. /g, ". <b>Note</b> ")}</p>`).join("\n") +
          `</body></html>`,
      );
    case "csv":
    case "tsv": {
      const sep = format === "csv" ? "," : "\t";
      const r = rng(4);
      const rows = [["id", "name", "department", "notes"].join(sep)];
      let n = 0;
      for (let i = 0; n < size; i++) {
        const row = [String(i), sentence(r, 2), sentence(r, 1), `"${sentence(r)}"`].join(sep);
        rows.push(row);
        n += row.length + 1;
      }
      return utf8(rows.join("\n"));
    }
    case "json":
    case "jsonl": {
      const r = rng(5);
      const items: string[] = [];
      let n = 0;
      for (let i = 0; n < size; i++) {
        const item = JSON.stringify({ id: i, title: sentence(r, 4), price: Math.round(r() * 10000) / 100, tags: [sentence(r, 1), sentence(r, 1)], body: sentence(r) });
        items.push(item);
        n += item.length + 1;
      }
      return utf8(format === "json" ? `[${items.join(",\n")}]` : items.join("\n"));
    }
    case "xml": {
      const r = rng(6);
      const parts = ["<?xml version=\"1.0\"?>\n<catalog>"];
      let n = 0;
      for (let i = 0; n < size; i++) {
        const rec = `<item id="${i}"><title>${xmlEscape(sentence(r, 4))}</title><body>${xmlEscape(sentence(r))}</body></item>\n`;
        parts.push(rec);
        n += rec.length;
      }
      parts.push("</catalog>");
      return utf8(parts.join(""));
    }
    case "yaml": {
      const r = rng(7);
      const parts: string[] = [];
      let n = 0;
      // under the 1 MiB YAML cap (a YAML parse needs ~110 MB of heap per MiB)
      for (let i = 0; n < Math.min(size / 2, 1_000_000); i++) {
        const rec = `- id: ${i}\n  title: ${JSON.stringify(sentence(r, 4))}\n  tags: [a, b]\n  body: ${JSON.stringify(sentence(r))}\n`;
        parts.push(rec);
        n += rec.length;
      }
      return utf8(parts.join(""));
    }
    case "pdf": {
      const ascii = paragraphs(size * 0.6, 8).map((p) => p.normalize("NFD").replace(/[^\x20-\x7e]/g, ""));
      const lines = ascii.flatMap((p) => p.match(/.{1,90}(\s|$)/g) ?? []);
      const pages: string[][] = [];
      for (let i = 0; i < lines.length; i += 50) pages.push(lines.slice(i, i + 50));
      return makePdf(pages, { compress: true });
    }
    case "docx":
      return makeDocx({ body: docxBody(paragraphs(size, 9)) });
    case "xlsx": {
      const r = rng(10);
      const rows: Cell[][] = [["Id", "Name", "Amount", "Notes"]];
      let n = 0;
      for (let i = 0; n < size * 0.5; i++) {
        const row: Cell[] = [i, sentence(r, 2), Math.round(r() * 1e6) / 100, sentence(r, 6)];
        rows.push(row);
        n += 60;
      }
      return makeXlsx([{ name: "Data", rows }]);
    }
    case "pptx": {
      const paras = paragraphs(size * 1.5, 11);
      const slides: string[][][][] = [];
      for (let i = 0; i < paras.length; i += 6) slides.push([[[`Slide ${slides.length + 1}`]], paras.slice(i, i + 6).map((p) => [p])]);
      return makePptx(slides);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------

interface Result {
  format: KbFormat;
  inputBytes: number;
  extractedChars: number;
  chunks: number;
  extractMs: number;
  chunkMs: number;
  /** process CPU time (user + system) of extract + chunk: steadier than wall time on a busy machine */
  cpuMs: number;
  mbPerSec: number;
  mbPerCpuSec: number;
  textMBPerSec: number;
  meta: Record<string, unknown>;
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

async function measure(format: KbFormat, bytes: Uint8Array): Promise<Omit<Result, "format" | "inputBytes">> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { text, meta } = await extractText(format, bytes);
  const t1 = performance.now();
  const { chunks } = chunkDocument(text);
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const total = (t2 - t0) / 1000;
  return {
    extractedChars: text.length,
    chunks: chunks.length,
    extractMs: round(t1 - t0),
    chunkMs: round(t2 - t1),
    cpuMs: round(cpuMs),
    mbPerSec: round(bytes.length / MB / total),
    mbPerCpuSec: round(bytes.length / MB / (cpuMs / 1000)),
    textMBPerSec: round(text.length / MB / total),
    meta: { ...meta, warnings: undefined },
  };
}

const FORMATS: KbFormat[] = ["txt", "md", "html", "csv", "tsv", "json", "jsonl", "xml", "yaml", "pdf", "docx", "xlsx", "pptx"];
const selected = onlyArg ? FORMATS.filter((f) => onlyArg.split(",").includes(f)) : FORMATS;

const results: Result[] = [];
for (const format of selected) {
  const bytes = build(format);
  process.stderr.write(`kb-extract: ${format} (${round(bytes.length / MB, 2)} MB)…\n`);
  await measure(format, bytes); // warm-up
  const samples: Array<Awaited<ReturnType<typeof measure>>> = [];
  for (let i = 0; i < runs; i++) samples.push(await measure(format, bytes));
  samples.sort((a, b) => a.extractMs + a.chunkMs - (b.extractMs + b.chunkMs));
  const median = samples[Math.floor(samples.length / 2)]!;
  results.push({ format, inputBytes: bytes.length, ...median });
}

// chunking alone, on 10 MB of cleaned prose
const prose = paragraphs(10 * MB * scale, 12).join(" ");
const c0 = performance.now();
const chunked = chunkDocument(prose);
const chunkOnlyMs = performance.now() - c0;

process.stdout.write(
  JSON.stringify(
    {
      section: "kb-extract",
      node: process.version,
      runs,
      quick,
      results,
      chunking: { chars: prose.length, chunks: chunked.chunks.length, ms: round(chunkOnlyMs), mbPerSec: round(prose.length / MB / (chunkOnlyMs / 1000)) },
    },
    null,
    2,
  ) + "\n",
);
