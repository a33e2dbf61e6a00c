/**
 * Vector search through pgvector (PGlite, the embedded default's database) with an OpenAI-compatible
 * embedding server double: embeddings are read from config.csv for every job, a changed model re-indexes
 * the KB instead of wiping it, and a failing embedding server keeps the previous chunks searchable.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSettings } from "../../src/core/settings/settings.js";
import { JsonLogger } from "../../src/adapters/log/json-logger.js";
import { startNodeService, type NodeService } from "../../functions/node-service.js";
import { startEmbeddingDouble, type EmbeddingDouble } from "../harness/embedding-double.js";

let service: NodeService;
let embeddings: EmbeddingDouble;
let client: S3Client;
let dir: string;

async function settle(): Promise<void> {
  await service.notificationsIdle();
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [row] = await service.sql<{ n: number }[]>`select count(*)::int as n from drive_files where sync_status = 'pending' or lease_until > now()`;
    if (row!.n === 0) return;
    if (Date.now() > deadline) throw new Error("jobs still pending");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function put(key: string, body: string): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: "vec.gbai", Key: key, Body: body }));
  await settle();
}

async function search(q: string): Promise<any> {
  const res = await fetch(`${service.url}/api/bots/vec/kb/search?q=${encodeURIComponent(q)}&limit=3`, { headers: { authorization: `Bearer ${service.tokens.api}` } });
  return res.json();
}

const config = (model: string) => `embedding-url,${embeddings.url}\nembedding-model,${model}\nembedding-dimensions,256\nembedding-key,sk-embed-secret\nembedding-batch-size,2\n`;

beforeAll(async () => {
  embeddings = await startEmbeddingDouble({ dimensions: 256 });
  dir = await mkdtemp(join(tmpdir(), "botsync-vectors-"));
  const settings = parseSettings({ PORT: "0", DATA_DIR: dir, EMBEDDED_S3_PORT: "0", EMBEDDED_PG_PORT: "0" });
  service = await startNodeService(settings, { log: new JsonLogger({}, "error", () => {}), reconcileTimer: false });
  const s3 = service.embeddedS3!;
  client = new S3Client({ endpoint: s3.endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  await client.send(new CreateBucketCommand({ Bucket: "vec.gbai" }));
  await put("vec.gbot/config.csv", config("test-embed-v1"));
}, 60_000);
afterAll(async () => {
  client?.destroy();
  await service?.close();
  await embeddings?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("vector search with pgvector", () => {
  it("embeds chunks in batches with the bot's key and ranks by similarity", async () => {
    await put("vec.gbkb/pets/cats.txt", "Cats sleep most of the day and purr when happy.");
    await put("vec.gbkb/pets/dogs.txt", "Dogs bark at the mailman and love long walks.");
    await put("vec.gbkb/garden/roses.txt", "Roses need pruning in late winter and full sun.");
    expect(embeddings.requests.every((r) => r.model === "test-embed-v1" && r.authorization === "Bearer sk-embed-secret")).toBe(true);
    const result = await search("why do cats purr");
    expect(result.mode).toBe("vector");
    expect(result.hits[0]).toMatchObject({ kb: "pets", documentPath: "vec.gbai/vec.gbkb/pets/cats.txt" });
    expect(result.hits[0].score).toBeGreaterThan(result.hits[1].score);
    const [space] = await service.sql`select distinct embedding_space from botsync_kb_documents`;
    expect(space!.embedding_space).toBe("test-embed-v1@256");
  });

  it("changing the embedding model re-indexes every document instead of wiping the KB", async () => {
    const before = embeddings.requests.length;
    await put("vec.gbot/config.csv", config("test-embed-v2"));
    const spaces = await service.sql`select embedding_space, count(*)::int as n from botsync_kb_documents group by 1`;
    expect(spaces).toEqual([{ embedding_space: "test-embed-v2@256", n: 3 }]);
    expect(embeddings.requests.slice(before).every((r) => r.model === "test-embed-v2")).toBe(true);
    expect((await search("mailman walks")).hits[0].documentPath).toBe("vec.gbai/vec.gbkb/pets/dogs.txt");
  });

  it("a failing embedding server retries, then keeps the previous chunks searchable", async () => {
    embeddings.failNext(100);
    await client.send(new PutObjectCommand({ Bucket: "vec.gbai", Key: "vec.gbkb/garden/roses.txt", Body: "Tulips bloom in spring." }));
    await service.notificationsIdle();
    const deadline = Date.now() + 20_000;
    let row: any;
    while (Date.now() < deadline) {
      [row] = await service.sql`select sync_status, last_error from drive_files where file_path = 'vec.gbai/vec.gbkb/garden/roses.txt'`;
      if (row.sync_status === "retry") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(row).toMatchObject({ sync_status: "retry", last_error: expect.stringMatching(/^EMBEDDING_FAILED: .*HTTP 503/) });
    const during = await search("pruning winter sun");
    expect(during.mode).toBe("fulltext");
    expect(during.hits[0].documentPath).toBe("vec.gbai/vec.gbkb/garden/roses.txt");
    embeddings.failNext(0);
  });
});
