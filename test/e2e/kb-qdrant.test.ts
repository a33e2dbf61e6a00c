/**
 * KB_VECTOR_STORE=qdrant: vectors go to Qdrant in the botserver's layout (collection `{bot}_{id8}_{kb}`,
 * its payload fields), so the botserver's `USE KB` finds them; updates and deletes leave no stale points
 * (the botserver orphans them), and a new embedding size recreates and re-fills the collection.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddingDouble, type EmbeddingDouble } from "../harness/embedding-double.js";
import { startQdrantDouble, type QdrantDouble } from "../harness/qdrant-double.js";
import { startStack, type Stack } from "../harness/stack.js";

let stack: Stack;
let qdrant: QdrantDouble;
let embeddings: EmbeddingDouble;

beforeAll(async () => {
  qdrant = await startQdrantDouble();
  embeddings = await startEmbeddingDouble({ dimensions: 128 });
  stack = await startStack({ env: { KB_VECTOR_STORE: "qdrant", QDRANT_URL: qdrant.url, QDRANT_API_KEY: qdrant.apiKey } });
});
afterAll(async () => {
  await stack?.close();
  await qdrant?.close();
  await embeddings?.close();
});

/** A bot of its own whose config.csv points at `server`; each bot has its own collections. */
async function qdrantBot(bot: string, server = embeddings, dimensions = 128, model = "m1") {
  const bucket = `${bot}.gbai`;
  await stack.createBucket(bucket);
  const configure = async (to: EmbeddingDouble, dims: number, name: string) => {
    await stack.put(bucket, `${bot}.gbot/config.csv`, `embedding-url,${to.url}\nembedding-model,${name}\nembedding-dimensions,${dims}\n`);
    await stack.settle();
  };
  await configure(server, dimensions, model);
  return {
    bucket,
    configure,
    put: (path: string, text: string) => stack.put(bucket, `${bot}.gbkb/${path}`, text),
    remove: (path: string) => stack.remove(bucket, `${bot}.gbkb/${path}`),
    /** its `docs` KB's collection */
    collection() {
      const entry = [...qdrant.collections.entries()].find(([name]) => name.startsWith(`${bot}_`) && name.endsWith("_docs"));
      return entry ? { name: entry[0], ...entry[1] } : null;
    },
  };
}

describe("Qdrant vector store", () => {
  it("writes the botserver's collection name and payload, and searches by vector", async () => {
    const qd = await qdrantBot("qd-write");
    await qd.put("docs/owls.txt", "Owls hunt at night and hoot softly.");
    await qd.put("docs/bees.txt", "Bees make honey from flower nectar.");
    await stack.settle();
    const [bot] = await stack.db.sql<{ id: string }[]>`select id from bots where name = 'qd-write'`;
    const c = qd.collection()!;
    expect(c.name).toBe(`qd-write_${bot!.id.slice(0, 8)}_docs`);
    expect(c.size).toBe(128);
    const payloads = [...c.points.values()].map((p) => p.payload).sort((a, b) => String(a.document_path).localeCompare(String(b.document_path)));
    expect(payloads).toEqual([
      { content: "Bees make honey from flower nectar.", document_path: `${qd.bucket}/qd-write.gbkb/docs/bees.txt`, chunk_index: 0, total_chunks: 1, start_char: 0, end_char: 35, document_title: "bees", etag: expect.any(String) },
      { content: "Owls hunt at night and hoot softly.", document_path: `${qd.bucket}/qd-write.gbkb/docs/owls.txt`, chunk_index: 0, total_chunks: 1, start_char: 0, end_char: 35, document_title: "owls", etag: expect.any(String) },
    ]);
    const result = await (await stack.api("/api/bots/qd-write/kb/search?q=honey%20nectar")).json<any>();
    expect(result.mode).toBe("vector");
    expect(result.hits[0]).toMatchObject({ kb: "docs", documentPath: `${qd.bucket}/qd-write.gbkb/docs/bees.txt` });
    const [kb] = await stack.db.sql`select qdrant_collection, document_count from kb_collections where folder_path = 'qd-write.gbai/qd-write.gbkb/docs'`;
    expect(kb).toEqual({ qdrant_collection: c.name, document_count: 2 });
  });

  it("an update replaces the document's points; a delete removes them", async () => {
    const qd = await qdrantBot("qd-update");
    await qd.put("docs/owls.txt", "Owls hunt at night and hoot softly.");
    await qd.put("docs/bees.txt", "Bees make honey from flower nectar.");
    await stack.settle();
    await qd.put("docs/owls.txt", "Owls turn their heads almost all the way around.");
    await stack.settle();
    const owls = () => [...qd.collection()!.points.values()].filter((p) => p.payload.document_path === `${qd.bucket}/qd-update.gbkb/docs/owls.txt`);
    expect(owls().map((p) => p.payload.content)).toEqual(["Owls turn their heads almost all the way around."]);
    await qd.remove("docs/owls.txt");
    await stack.settle();
    expect(owls()).toEqual([]);
    expect(qd.collection()!.points.size).toBe(1);
  });

  it("a new embedding size recreates the collection and re-indexes every document into it", async () => {
    const qd = await qdrantBot("qd-resize");
    await qd.put("docs/bees.txt", "Bees make honey from flower nectar.");
    await stack.settle();
    expect(qd.collection()!.size).toBe(128);
    const smaller = await startEmbeddingDouble({ dimensions: 64 });
    try {
      await qd.configure(smaller, 64, "m2");
      const c = qd.collection()!;
      expect(c.size).toBe(64);
      expect([...c.points.values()].map((p) => [p.payload.document_path, p.vector.length])).toEqual([[`${qd.bucket}/qd-resize.gbkb/docs/bees.txt`, 64]]);
    } finally {
      await smaller.close();
    }
  });
});
