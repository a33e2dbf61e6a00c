/**
 * The KB slice's job through the real runner, with the real extraction (in process) and in-memory ports: the
 * slow part (config, extraction, embedding, the index's preparation) runs before the job's transaction and
 * never touches the KbStore; the chunks are written only through the KbStore, inside the transaction; a
 * failure on the way leaves the store untouched; a format the job cannot read is refused before a byte is
 * downloaded.
 */
import { describe, expect, it } from "vitest";
import { BotsyncError } from "../errors.js";
import type { ChunkIndex, IndexedChunk, KbDocument, KbDocumentRef } from "../ports/chunk-index.js";
import type { EmbeddingConfig } from "../ports/embedder.js";
import { claimedJob, runKindJob, transactionalStore, type StoreCall, type Transaction } from "../../../test/harness/object-job-run.js";
import { extractDocument } from "./extract-document.js";
import { kbKind, type KbJobDeps } from "./kb-object-job.js";
import type { KbStore } from "./kb-store.js";

const utf8 = (text: string) => new TextEncoder().encode(text);
const FAQ = claimedJob("demo", "demo.gbkb/faq/refunds.md");
const TEXT = "# Refunds\n\nWe refund every order within 30 days of delivery.\n";
const EMBEDDING = { "embedding-url": "http://embed.test/v1/embeddings", "embedding-model": "mini", "embedding-dimensions": "2" };

/** Every port the job uses, each recording whether the job's transaction was open when it was called. */
function kbPorts(options: { config?: Record<string, string>; hasVectors?: boolean; embed?: (texts: string[]) => Promise<number[][]>; language?: string } = {}) {
  let transaction: Transaction = { open: false };
  const outside: string[] = [];
  const note = (what: string) => {
    if (transaction.open) throw new Error(`${what} ran inside the job's transaction`);
    outside.push(what);
  };
  const prepared: Array<{ doc: KbDocument; chunks: IndexedChunk[] }> = [];
  const index: ChunkIndex = {
    hasVectors: async () => (note("index.hasVectors"), options.hasVectors ?? false),
    prepareDocument: async (doc, chunks) => (note("index.prepareDocument"), prepared.push({ doc, chunks }), { vectorsInDatabase: true }),
    prepareRemove: async () => void note("index.prepareRemove"),
    search: async () => {
      throw new Error("a job does not search");
    },
  };
  const deps: KbJobDeps = {
    extractor: { extract: async (request) => (note("extractor.extract"), extractDocument(request)) },
    index,
    embedder: {
      embed: async (_config: EmbeddingConfig, texts: string[]) => (note("embedder.embed"), (options.embed ?? (async (t) => t.map((_, i) => [i, 1])))(texts)),
    },
    config: { read: async () => (note("config.read"), options.config ?? {}), orgOf: async () => null },
  };
  const calls: StoreCall[] = [];
  const store = (tx: Transaction) => {
    transaction = tx;
    return transactionalStore<KbStore>(tx, calls, {
      replaceDocument: async (doc: KbDocument) => ({ language: options.language ?? doc.language }),
      removeDocument: async () => {},
    });
  };
  return { kind: kbKind(deps), store, calls, outside, prepared };
}

describe("the KB job", () => {
  it("prepares outside the transaction without touching the store, then replaces the chunks through it", async () => {
    const ports = kbPorts({ config: { "kb-language": "Portuguese" } });
    const run = await runKindJob(ports.kind, ports.store, FAQ, utf8(TEXT));
    expect(run.outcome).toBe("applied");
    expect(run.driveCalls).toEqual(["stat", "open"]);
    // no embedding-url: full-text only, nothing embedded
    expect(ports.outside).toEqual(["config.read", "extractor.extract", "index.prepareDocument"]);
    const doc: KbDocument = { botId: FAQ.botId, bot: "demo", kb: "faq", documentPath: FAQ.filePath, title: "refunds", etag: "etag-1", language: "portuguese" };
    expect(ports.calls).toHaveLength(1);
    const [method, [storedDoc, chunks, vectors]] = ports.calls[0]! as [string, [KbDocument, IndexedChunk[], unknown]];
    expect([method, storedDoc, vectors]).toEqual(["replaceDocument", doc, { space: null, inDatabase: true }]);
    expect(chunks.map((c) => c.text).join(" ")).toContain("We refund every order within 30 days of delivery.");
    expect(chunks.every((c) => c.vector === null)).toBe(true);
    expect(ports.prepared).toEqual([{ doc, chunks }]);
    expect(run.completed).toEqual([{ removed: false, etag: "etag-1", size: utf8(TEXT).length, diagnostics: [] }]);
  });

  it("embeds the chunks before the transaction when the bot has an embedding endpoint and the index keeps vectors", async () => {
    const ports = kbPorts({ config: EMBEDDING, hasVectors: true });
    const run = await runKindJob(ports.kind, ports.store, FAQ, utf8(TEXT));
    expect(run.outcome).toBe("applied");
    expect(ports.outside).toEqual(["config.read", "extractor.extract", "index.hasVectors", "embedder.embed", "index.prepareDocument"]);
    const [, [, chunks, vectors]] = ports.calls[0]! as [string, [KbDocument, IndexedChunk[], unknown]];
    expect(vectors).toEqual({ space: "mini@2", inDatabase: true });
    expect(chunks.map((c) => c.vector)).toEqual(chunks.map((_, i) => [i, 1]));
  });

  it("leaves the store untouched when embedding fails, and retries the document", async () => {
    const ports = kbPorts({
      config: EMBEDDING,
      hasVectors: true,
      embed: async () => {
        throw new BotsyncError("EMBEDDING_FAILED", "embedding endpoint embed.test failed: HTTP 503: busy", { retryable: true });
      },
    });
    const run = await runKindJob(ports.kind, ports.store, FAQ, utf8(TEXT));
    expect(run.outcome).toBe("retry");
    expect(run.failed).toEqual([expect.objectContaining({ permanent: false, etag: "etag-1", error: expect.stringMatching(/^EMBEDDING_FAILED/) })]);
    expect(ports.calls).toEqual([]);
    expect(ports.prepared).toEqual([]);
  });

  it("indexes a file directly under {bot}.gbkb/ into the default KB and says so, and reports a language the server lacks", async () => {
    const ports = kbPorts({ config: { "kb-language": "klingon" }, language: "simple" });
    const run = await runKindJob(ports.kind, ports.store, claimedJob("demo", "demo.gbkb/loose.txt"), utf8("Opening hours: 9 to 5.\n"));
    expect(run.outcome).toBe("applied");
    expect((ports.calls[0]![1][0] as KbDocument).kb).toBe("default");
    expect(run.completed[0]).toMatchObject({
      diagnostics: [
        { severity: "warning", code: "kb-language", message: expect.stringContaining('kb-language "klingon" is not a text-search configuration') },
        { severity: "warning", code: "kb-default", message: 'the file is not in a KB folder; it was indexed into the "default" KB' },
      ],
    });
  });

  it("refuses a format it cannot read from the key alone: nothing is downloaded, nothing prepared or stored", async () => {
    const ports = kbPorts();
    const run = await runKindJob(ports.kind, ports.store, claimedJob("demo", "demo.gbkb/faq/tool.exe"), utf8("MZ"));
    expect(run.outcome).toBe("failed");
    expect(run.failed).toEqual([expect.objectContaining({ permanent: true, error: expect.stringMatching(/^KB_UNSUPPORTED_FORMAT/) })]);
    expect(run.driveCalls).toEqual(["stat"]);
    expect(ports.outside).toEqual([]);
    expect(ports.calls).toEqual([]);
  });

  it("a removed document: the index's part before the transaction, the store's inside it", async () => {
    const ports = kbPorts();
    const run = await runKindJob(ports.kind, ports.store, FAQ, null);
    expect(run.outcome).toBe("removed");
    expect(ports.outside).toEqual(["index.prepareRemove"]);
    const ref: KbDocumentRef = { botId: FAQ.botId, bot: "demo", kb: "faq", documentPath: FAQ.filePath };
    expect(ports.calls).toEqual([["removeDocument", [ref]]]);
  });

  it("claims every key under {bot}.gbkb/ and runs in its own lane", () => {
    const { kind } = kbPorts();
    expect(kind.lane).toBe("kb");
    for (const key of ["demo.gbkb/a.md", "demo.gbkb/faq/sub/b.pdf"]) expect(kind.matches("demo", key), key).toBe(true);
    for (const key of ["demo.gbot/a.md", "other.gbkb/a.md", "demo.gbkbx/a.md"]) expect(kind.matches("demo", key), key).toBe(false);
  });
});
