import { mkdtempSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { reclaimHeap } from "../../src/adapters/kb/reclaim-heap.js";
import { ThreadExtractor } from "../../src/adapters/kb/thread-extractor.js";
import { JsonLogger } from "../../src/adapters/log/json-logger.js";
import { DEFAULT_CHUNKING } from "../../src/core/kb/chunk.js";
import type { KbFormat } from "../../src/core/kb/kb-format.js";
import { BotsyncError } from "../../src/core/errors.js";
import { endlessCsv, streamOf, type CountedStream } from "../harness/byte-streams.js";
import { docxWithText } from "../harness/large-documents.js";
import { docxBody, makeDocx, makePdf, utf8 } from "../unit/kb/documents.js";

const spoolDir = mkdtempSync(join(tmpdir(), "botsync-spool-"));
const extractor = new ThreadExtractor({ timeoutMs: 20_000, spoolDir });
afterAll(async () => {
  await extractor.close();
  rmSync(spoolDir, { recursive: true, force: true });
});

/** What is left of the spool: names in its directory, and this process's descriptors of files that were in it. */
function spoolLeft(): { names: string[]; openFiles: number } {
  const openFiles = readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(spoolDir);
    } catch {
      return false; // closed meanwhile
    }
  }).length;
  return { names: readdirSync(spoolDir), openFiles };
}

function collectingLog(path: string) {
  const lines: Array<Record<string, unknown>> = [];
  const log = new JsonLogger({ path }, "debug", (_level, line) => lines.push(JSON.parse(line)));
  return { log, lines };
}

function extract(format: KbFormat, input: CountedStream | Uint8Array, opts: { size?: number; log?: JsonLogger; on?: ThreadExtractor } = {}) {
  const stream = input instanceof Uint8Array ? streamOf(input) : input;
  const size = opts.size ?? (input instanceof Uint8Array ? input.length : 0);
  return (opts.on ?? extractor).extract({ format, body: stream.body, size, chunking: DEFAULT_CHUNKING, log: opts.log ?? collectingLog("x").log });
}

/** The corrupt PDF after which PDF.js leaves a rejected promise unhandled (an XRefEntryException). */
function pdfWithStrayRejection(): Uint8Array {
  const pdf = makePdf([["First page text"], ["Second page text"], ["Third page text"]]);
  for (const [at, byte] of [[1187, 69], [861, 181], [697, 197], [559, 122]] as const) pdf[at] = byte;
  return pdf;
}

describe("ThreadExtractor", () => {
  it("extracts and chunks in a reused worker thread and reports content errors without losing the thread", async () => {
    expect(await extract("txt", utf8("hello thread"))).toEqual({
      chunks: [{ index: 0, text: "hello thread", start: 0, end: 12 }],
      textTruncated: false,
      chunksTruncated: false,
      warnings: [],
    });
    await expect(extract("docx", new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ code: "KB_EXTRACTION_FAILED" });
    expect((await extract("md", utf8("# still here"))).chunks[0]!.text).toContain("still here");
    expect((await extract("txt", new Uint8Array([0x63, 0x61, 0xe7, 0xe3, 0x6f, 0x20, 0x61, 0x71, 0x75, 0x69]))).warnings).toEqual([
      "not valid UTF-8; decoded as Windows-1252",
    ]);
  });

  it("terminates an extraction past its time limit, and the next one gets a fresh thread", async () => {
    const slow = new ThreadExtractor({ timeoutMs: 1 });
    const pages = Array.from({ length: 200 }, (_, p) => [`page ${p} of a document that takes longer than a millisecond`]);
    await expect(extract("pdf", makePdf(pages), { on: slow })).rejects.toMatchObject({ code: "KB_EXTRACTION_TIMEOUT" });
    await slow.close();
    expect((await extract("pdf", makePdf([["after the timeout"]]))).chunks[0]!.text).toContain("after the timeout");
  });

  it("a document whose parse needs more heap than the threads may use fails clearly, and the next one gets a fresh thread", async () => {
    const small = new ThreadExtractor({ timeoutMs: 60_000, maxHeapMb: 32 });
    const yaml = Array.from({ length: 10_000 }, (_, i) => `- id: ${i}\n  name: customer ${i}\n  tags: [a, b, c]\n`).join("");
    await expect(extract("yaml", utf8(yaml), { on: small })).rejects.toMatchObject({
      code: "KB_EXTRACTION_FAILED",
      message: "extracting this document needs more than the 32 MB of memory that extraction may use",
    });
    expect((await extract("txt", utf8("a small one"), { on: small })).chunks).toHaveLength(1);
    await small.close();
  });

  it("pulls a streamed format only up to the text limit, then cancels the rest of the body", async () => {
    const csv = endlessCsv();
    const document = await extract("csv", csv, { size: 1000 * 1024 * 1024 });
    expect(document.textTruncated).toBe(true);
    expect(document.chunksTruncated).toBe(true);
    expect(document.chunks).toHaveLength(DEFAULT_CHUNKING.maxChunks);
    expect(csv.state.cancelled).toBe(true);
    // 10,000,000 characters of ASCII are 10,000,000 bytes; a few pieces more may have been pulled ahead
    expect(csv.state.pulled).toBeGreaterThanOrEqual(10_000_000);
    expect(csv.state.pulled).toBeLessThan(11_000_000);
  });

  it("a body that fails mid-download fails the document with the drive's retryable error", async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 3) controller.enqueue(utf8("some,csv,row\n".repeat(1000)));
        else controller.error(new BotsyncError("DRIVE_UNAVAILABLE", "drive request failed: socket hang up", { retryable: true }));
      },
    });
    const error = await extract("csv", { body, state: { pulled: 0, cancelled: false, done: false } }, { size: 1_000_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "DRIVE_UNAVAILABLE", retryable: true, message: "drive request failed: socket hang up" });
    expect((await extract("txt", utf8("the thread is still fine"))).chunks).toHaveLength(1);
  });

  it("ends a thread after a large document (its grown heap goes with it), and the next document gets a fresh one", async () => {
    const retiring = new ThreadExtractor({ timeoutMs: 20_000, retireAfterBytes: 100_000, spoolDir });
    const idle = () => (retiring as unknown as { idle: unknown[] }).idle.length;
    await extract("txt", utf8("small"), { on: retiring });
    expect(idle()).toBe(1);
    expect((await extract("csv", utf8("a,b\n".repeat(30_000)), { on: retiring })).chunks.length).toBeGreaterThan(0);
    expect(idle()).toBe(0);
    expect((await extract("txt", utf8("after the large one"), { on: retiring })).chunks[0]!.text).toBe("after the large one");
    await retiring.close();
  });

  it("collects this thread's garbage before a large document only, and that collection frees what is unreachable", async () => {
    const counts: number[] = [];
    let collections = 0;
    const collecting = new ThreadExtractor({ timeoutMs: 20_000, retireAfterBytes: 100_000, spoolDir, beforeLargeDocument: () => (collections++, 0) });
    await extract("txt", utf8("small"), { on: collecting });
    counts.push(collections);
    await extract("csv", utf8("a,b\n".repeat(30_000)), { on: collecting });
    counts.push(collections);
    expect(counts).toEqual([0, 1]);
    await collecting.close();
    // The default: a real full collection. An object only a WeakRef points to is gone right after it.
    let garbage: object | undefined = { big: new Array(1000).fill("x") };
    const ref = new WeakRef(garbage);
    garbage = undefined;
    // a WeakRef's target is kept at least until the current job ends
    await new Promise((resolve) => setImmediate(resolve));
    expect(reclaimHeap()).toBeGreaterThanOrEqual(0);
    expect(ref.deref()).toBeUndefined();
  });

  it("spools a ZIP document to a file that has no name while it is read and is gone after every outcome", async () => {
    const docx = makeDocx({ body: docxBody(["spooled to disk"]) });
    // while it is read: one open file, no name (so even a SIGKILL leaves nothing behind)
    let during: ReturnType<typeof spoolLeft> | undefined;
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent) {
          during = spoolLeft();
          return controller.close();
        }
        sent = true;
        controller.enqueue(docx.slice());
      },
    });
    const document = await extractor.extract({ format: "docx", body, size: docx.length, chunking: DEFAULT_CHUNKING, log: collectingLog("x").log });
    expect(document.chunks[0]!.text).toBe("spooled to disk");
    expect(during).toEqual({ names: [], openFiles: 1 });
    expect(spoolLeft()).toEqual({ names: [], openFiles: 0 });
    // a corrupt archive
    await expect(extract("xlsx", new Uint8Array(5000).fill(7))).rejects.toMatchObject({ code: "KB_EXTRACTION_FAILED" });
    expect(spoolLeft()).toEqual({ names: [], openFiles: 0 });
    // a thread terminated at its time limit
    const slow = new ThreadExtractor({ timeoutMs: 50, spoolDir });
    await expect(extract("docx", docxWithText(30 * 1024 * 1024, { oneParagraph: false, level: 1 }), { on: slow })).rejects.toMatchObject({
      code: "KB_EXTRACTION_TIMEOUT",
    });
    await slow.close();
    expect(spoolLeft()).toEqual({ names: [], openFiles: 0 });
    // a body that fails while it is spooled
    const failing = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.error(new BotsyncError("DRIVE_UNAVAILABLE", "drive request failed: reset", { retryable: true })),
    });
    await expect(extract("pptx", { body: failing, state: { pulled: 0, cancelled: false, done: false } }, { size: 1000 })).rejects.toMatchObject({ code: "DRIVE_UNAVAILABLE" });
    expect(spoolLeft()).toEqual({ names: [], openFiles: 0 });
  }, 60_000);

  it("a stray PDF.js rejection is logged once for its document, with the document's path and not its content", async () => {
    const first = collectingLog("bot.gbai/bot.gbkb/docs/broken.pdf");
    const second = collectingLog("bot.gbai/bot.gbkb/docs/broken-again.pdf");
    await expect(extract("pdf", pdfWithStrayRejection(), { log: first.log })).rejects.toMatchObject({ code: "KB_EXTRACTION_FAILED" });
    await expect(extract("pdf", pdfWithStrayRejection(), { log: second.log })).rejects.toMatchObject({ code: "KB_EXTRACTION_FAILED" });
    // the thread survived and reports a later document normally
    expect((await extract("txt", utf8("after the broken PDFs"))).chunks).toHaveLength(1);
    for (const { lines } of [first, second]) {
      const strays = lines.filter((l) => String(l["msg"]).includes("unhandled promise rejection"));
      expect(strays).toHaveLength(1);
      expect(strays[0]).toMatchObject({ level: "warn", error: expect.stringMatching(/^XRefEntryException: /) });
      expect(JSON.stringify(strays[0])).not.toContain("page text");
    }
    expect(first.lines[0]!["path"]).toBe("bot.gbai/bot.gbkb/docs/broken.pdf");
    expect(second.lines[0]!["path"]).toBe("bot.gbai/bot.gbkb/docs/broken-again.pdf");
  });
});
