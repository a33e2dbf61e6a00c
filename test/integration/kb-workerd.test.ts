/**
 * The KB core runs unchanged in Cloudflare's workerd (the README's Layout: core "runs on Node and workerd"):
 * src/core/kb is bundled with esbuild for the browser/worker conditions WITHOUT the nodejs_compat
 * flag, run in workerd through Miniflare, and fed real documents of every format — including PDF through
 * unpdf's serverless PDF.js and a decompression bomb.
 */
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docxBody, makeDocx, makePdf, makePptx, makeXlsx, rawZip, utf8, zeroBomb, ooxmlShell } from "../unit/kb/documents.js";
import { deflateSync } from "fflate";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const ENTRY = `
import { chunkDocument, extractText, isKbFormat } from "./src/core/kb/index.ts";
export default {
  async fetch(request) {
    const format = new URL(request.url).searchParams.get("format") ?? "";
    if (!isKbFormat(format)) return Response.json({ error: "format" }, { status: 400 });
    const bytes = new Uint8Array(await request.arrayBuffer());
    try {
      const { text, meta } = await extractText(format, bytes);
      return Response.json({ text, meta, chunks: chunkDocument(text).chunks.length });
    } catch (error) {
      return Response.json({ name: error?.name, code: error?.code ?? null, message: String(error?.message) }, { status: 422 });
    }
  },
};
`;

let mf: Miniflare;

beforeAll(async () => {
  const out = await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: "ts", sourcefile: "kb-worker.ts" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker", "browser", "import"],
    write: false,
    logLevel: "silent",
  });
  mf = new Miniflare({ modules: true, script: out.outputFiles[0]!.text, compatibilityDate: "2026-04-01" });
  await mf.ready;
}, 120_000);

afterAll(async () => {
  await mf?.dispose();
});

async function post(format: string, body: Uint8Array): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await mf.dispatchFetch(`http://kb.test/?format=${format}`, { method: "POST", body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("src/core/kb in workerd (no nodejs_compat)", () => {
  it.each<[string, Uint8Array, string]>([
    ["txt", utf8("plain text"), "plain text"],
    ["md", utf8("# Title\n"), "# Title\n"],
    ["html", utf8("<p>Hello <b>there</b></p><script>x()</script>"), "Hello there\n"],
    ["csv", utf8("a,b\n1,2\n"), "a,b\n1,2\n"],
    ["tsv", utf8("a\tb\n"), "a\tb\n"],
    ["json", utf8('{"q":"Why?","n":2}'), "q: Why?\nn: 2\n"],
    ["jsonl", utf8('{"a":1}\n{"b":2}\n'), "a: 1\nb: 2\n"],
    ["xml", utf8("<r><a>x</a><b>y</b></r>"), "x\ny\n"],
    ["yaml", utf8("k: v\nl: [1, 2]\n"), "k: v\nl: 1\nl: 2\n"],
    ["pdf", makePdf([["Hello from workerd"], ["Page two"]]), "Hello from workerd\n\nPage two"],
    ["docx", makeDocx({ body: docxBody(["Hello docx", "Second"]) }), "Hello docx\nSecond\n"],
    ["xlsx", makeXlsx([{ name: "S", rows: [["cell", 1]] }]), "S\ncell\t1\n"],
    ["pptx", makePptx([[[["Slide title"]], [["Body"]]]]), "Slide title\nBody\n"],
  ])("%s", async (format, body, text) => {
    const { status, json } = await post(format, body);
    expect(status).toBe(200);
    expect(json["text"]).toBe(text);
  });

  it("broken files and bombs are BotsyncErrors there too", async () => {
    const garbage = await post("docx", utf8("garbage"));
    expect(garbage).toMatchObject({ status: 422, json: { name: "BotsyncError", code: "KB_EXTRACTION_FAILED" } });
    const pdf = await post("pdf", utf8("%PDF-1.4 nonsense"));
    expect(pdf).toMatchObject({ status: 422, json: { code: "KB_EXTRACTION_FAILED" } });
    const shell = Object.entries(ooxmlShell("docx")).map(([name, s]) => ({ name, deflated: deflateSync(utf8(s)), declaredSize: utf8(s).length }));
    const bomb = rawZip([...shell, { name: "word/document.xml", deflated: zeroBomb(200 * 1024 * 1024), declaredSize: 1000 }]);
    const r = await post("docx", bomb);
    expect(r.status).toBe(422);
    expect(String(r.json["message"])).toContain("inflates beyond its declared size");
  });
});
