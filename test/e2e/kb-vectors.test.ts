/**
 * Vector search through pgvector (PGlite, the embedded default's database) with an OpenAI-compatible
 * embedding server double: embeddings are read from config.csv for every job, a changed model re-indexes
 * the KB instead of wiping it, and a failing embedding server keeps the previous chunks searchable. Each
 * embedding dimension gets its own HNSW index, which searches use with the bot's and KB's filters inside
 * the index scan (EXPLAIN shows it) and answer what the exact scan answers. Full-text search works in the
 * bot's `kb-language` (word forms match); on the real PostgreSQL, which has no pgvector, search falls back
 * to full text and says why.
 */
import { storeKbDocument } from "../harness/store-kb-document.js";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSettings } from "../../src/core/settings/settings.js";
import { JsonLogger } from "../../src/adapters/log/json-logger.js";
import { startNodeService, type NodeService } from "../../functions/node-service.js";
import postgres from "postgres";
import { startEmbeddingDouble, type EmbeddingDouble } from "../harness/embedding-double.js";
import { startStack, waitForJobs, type Stack } from "../harness/stack.js";
import { prng } from "../harness/prng.js";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../src/adapters/embedded/pglite-server.js";
import { migrate } from "../../src/adapters/db/migrate.js";
import { PgChunkIndex } from "../../src/adapters/vectors/pg-chunk-index.js";
import type { IndexedChunk } from "../../src/core/ports/chunk-index.js";
import { eventually } from "../harness/eventually.js";
import { ManualClock } from "../harness/manual-clock.js";

let service: NodeService;
/** the service's jobs and API wait on it: a test moves it through the embedding client's backoff */
const clock = new ManualClock(Date.now());
let embeddings: EmbeddingDouble;
let client: S3Client;
let dir: string;

async function settle(): Promise<void> {
  await service.notificationsIdle();
  await waitForJobs(service, 30_000);
}

async function put(key: string, body: string, bucket = "vec.gbai"): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  await settle();
}

async function api(path: string): Promise<any> {
  const res = await fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${service.tokens.api}` } });
  return res.json();
}

async function search(q: string, bot = "vec"): Promise<any> {
  return api(`/api/bots/${bot}/kb/search?q=${encodeURIComponent(q)}&limit=3`);
}

const config = (model: string) => `embedding-url,${embeddings.url}\nembedding-model,${model}\nembedding-dimensions,256\nembedding-key,sk-embed-secret\nembedding-batch-size,2\n`;

beforeAll(async () => {
  embeddings = await startEmbeddingDouble({ dimensions: 256 });
  dir = await mkdtemp(join(tmpdir(), "botsync-vectors-"));
  const settings = parseSettings({ PORT: "0", DATA_DIR: dir, EMBEDDED_S3_PORT: "0", EMBEDDED_PG_PORT: "0" });
  service = await startNodeService(settings, { log: new JsonLogger({}, "error", () => {}), reconcileTimer: false, clock });
  const s3 = service.embeddedS3!;
  client = new S3Client({ endpoint: s3.endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  await client.send(new CreateBucketCommand({ Bucket: "vec.gbai" }));
  await client.send(new CreateBucketCommand({ Bucket: "words.gbai" }));
  await put("vec.gbot/config.csv", config("test-embed-v1"));
}, 60_000);
afterAll(async () => {
  client?.destroy();
  await service?.close();
  await embeddings?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The three documents of the vec bot, indexed (unchanged ones are not indexed again). */
async function putPetsAndRoses(): Promise<void> {
  await put("vec.gbkb/pets/cats.txt", "Cats sleep most of the day and purr when happy.");
  await put("vec.gbkb/pets/dogs.txt", "Dogs bark at the mailman and love long walks.");
  await put("vec.gbkb/garden/roses.txt", "Roses need pruning in late winter and full sun.");
}

describe("vector search with pgvector", () => {
  it("embeds chunks in batches with the bot's key and ranks by similarity", async () => {
    await putPetsAndRoses();
    expect(embeddings.requests.every((r) => r.model === "test-embed-v1" && r.authorization === "Bearer sk-embed-secret")).toBe(true);
    const result = await search("why do cats purr");
    expect(result.mode).toBe("vector");
    expect(result.hits[0]).toMatchObject({ kb: "pets", documentPath: "vec.gbai/vec.gbkb/pets/cats.txt" });
    expect(result.hits[0].score).toBeGreaterThan(result.hits[1].score);
    const [space] = await service.sql`select distinct embedding_space from botsync_kb_documents`;
    expect(space!.embedding_space).toBe("test-embed-v1@256");
  });

  it("changing the embedding model re-indexes every document instead of wiping the KB", async () => {
    await put("vec.gbot/config.csv", config("test-embed-v1"));
    await putPetsAndRoses();
    const before = embeddings.requests.length;
    await put("vec.gbot/config.csv", config("test-embed-v2"));
    const spaces = await service.sql`select embedding_space, count(*)::int as n from botsync_kb_documents group by 1`;
    expect(spaces).toEqual([{ embedding_space: "test-embed-v2@256", n: 3 }]);
    expect(embeddings.requests.slice(before).every((r) => r.model === "test-embed-v2")).toBe(true);
    expect((await search("mailman walks")).hits[0].documentPath).toBe("vec.gbai/vec.gbkb/pets/dogs.txt");
  });

  it("a failing embedding server retries, then keeps the previous chunks searchable", async () => {
    await putPetsAndRoses();
    const asked = embeddings.requests.length;
    embeddings.failNext(100);
    try {
      await client.send(new PutObjectCommand({ Bucket: "vec.gbai", Key: "vec.gbkb/garden/roses.txt", Body: "Tulips bloom in spring." }));
      await service.notificationsIdle();
      // the client's backoff runs on the clock: it is moved, not waited for
      await clock.runUntil(
        eventually(async () => {
          const [row] = await service.sql`select sync_status, last_error from drive_files where file_path = 'vec.gbai/vec.gbkb/garden/roses.txt'`;
          expect(row).toMatchObject({ sync_status: "retry", last_error: expect.stringMatching(/^EMBEDDING_FAILED: .*HTTP 503/) });
        }),
      );
      // a try and three retries of the one batch (and the job's own retry may have begun)
      expect(embeddings.requests.length - asked).toBeGreaterThanOrEqual(4);
      const during = await clock.runUntil(search("pruning winter sun"));
      expect(during.mode).toBe("fulltext");
      expect(during.hits[0].documentPath).toBe("vec.gbai/vec.gbkb/garden/roses.txt");
    } finally {
      embeddings.failNext(0);
    }
  });
});

describe("full-text search in the bot's language", () => {
  const doc = "words.gbkb/policies/returns.txt";
  const languages = () => service.sql<{ language: string }[]>`select distinct language::text as language from botsync_kb_chunks where document_path like 'words.gbai/%'`;

  it("finds word forms in English by default: refund finds Refunds", async () => {
    await put(doc, "Refunds are processed within five business days.", "words.gbai");
    const result = await search("refund", "words");
    expect(result).toMatchObject({ mode: "fulltext", hits: [{ documentPath: `words.gbai/${doc}` }] });
    expect(result.note).toBeUndefined();
    expect((await search("processing days", "words")).hits).toHaveLength(1);
    expect(await languages()).toEqual([{ language: "english" }]);
  });

  it("a kb-language the server does not know falls back to simple and says so; changing it re-indexes the KB", async () => {
    await put(doc, "Refunds are processed within five business days.", "words.gbai");
    await put("words.gbot/config.csv", "kb-language,klingon\n", "words.gbai");
    expect(await languages()).toEqual([{ language: "simple" }]);
    const [state] = (await api("/api/bots/words/kb")).documents;
    expect(state.diagnostics).toContainEqual(expect.objectContaining({ code: "kb-language", message: expect.stringMatching(/"klingon" is not a text-search configuration.*"simple"/) }));
    expect((await search("refund", "words")).hits).toEqual([]);
    expect((await search("Refunds", "words")).hits).toHaveLength(1);

    await put("words.gbot/config.csv", "kb-language, Portuguese \n", "words.gbai");
    await put("words.gbkb/policies/devolucoes.txt", "Os reembolsos são processados em cinco dias.", "words.gbai");
    expect(await languages()).toEqual([{ language: "portuguese" }]);
    expect((await search("reembolso", "words")).hits.map((h: any) => h.documentPath)).toEqual(["words.gbai/words.gbkb/policies/devolucoes.txt"]);

    await put("words.gbot/config.csv", "name,value\n", "words.gbai");
    expect(await languages()).toEqual([{ language: "english" }]);
    expect((await search("refund", "words")).hits.map((h: any) => h.documentPath)).toEqual([`words.gbai/${doc}`]);
  });
});

/** A seeded Gaussian, so the vectors (and any failure) reproduce. */
function gaussian(seed: number) {
  const r = prng(seed);
  return () => Math.sqrt(-2 * Math.log(r.next() || Number.MIN_VALUE)) * Math.cos(2 * Math.PI * r.next());
}

function unit(v: number[]): number[] {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

function cosine(a: number[], b: number[]): number {
  return a.reduce((s, x, i) => s + x * b[i]!, 0);
}

describe("an HNSW index per embedding dimension (PGlite + pgvector)", () => {
  let pg: EmbeddedPostgres;
  let sql: postgres.Sql;
  let statements: Array<{ query: string; params: unknown[] }> = [];
  const BOT_A = "00000000-0000-4000-8000-0000000000aa";
  const BOT_B = "00000000-0000-4000-8000-0000000000bb";
  const SPACE = "test-model@48";
  const indexes = () => sql<{ indexname: string; indexdef: string }[]>`
    select indexname, indexdef from pg_indexes where tablename = 'botsync_kb_chunks' and indexdef like '%USING hnsw%' order by indexname`;

  beforeAll(async () => {
    pg = await startEmbeddedPostgres({ dataDir: "memory://" });
    // The statements the index sends are recorded, so the test can EXPLAIN exactly what a search ran.
    sql = postgres(pg.url, { max: 1, onnotice: () => {}, debug: (_connection, query, params) => statements.push({ query, params }) });
    await migrate(sql);
  }, 60_000);
  afterAll(async () => {
    await sql?.end();
    await pg?.close();
  });

  const store = (index: PgChunkIndex, botId: string, kb: string, name: string, vectors: number[][], space = SPACE) =>
    storeKbDocument(
      sql,
      index,
      { botId, bot: botId === BOT_A ? "alpha" : "beta", kb, documentPath: `${name}.gbai/${name}.txt`, title: name, etag: "e1", language: "english" },
      vectors.map((vector, i): IndexedChunk => ({ index: i, text: `${name} chunk ${i}`, start: i * 10, end: i * 10 + 9, vector })),
      space,
    );

  it("the first document of a dimension creates that dimension's index; another dimension gets its own", async () => {
    const index = new PgChunkIndex(sql);
    const g = gaussian(1);
    const random = (dims: number) => unit(Array.from({ length: dims }, g));
    expect(await indexes()).toEqual([]);
    await store(index, BOT_A, "first", "first-48", [random(48), random(48)]);
    const [first] = await indexes();
    expect(first!.indexname).toBe("botsync_kb_chunks_hnsw_48");
    expect(first!.indexdef).toMatch(/USING hnsw \(\(\(embedding\)::vector\(48\)\) vector_cosine_ops\) WITH \(m='16', ef_construction='64'\) WHERE \(vector_dims\(embedding\) = 48\)/);

    // Past pgvector's 2,000-dimension limit for `vector` in HNSW, the index is on 16-bit floats.
    await store(index, BOT_A, "first", "first-2048", [random(2048)], "big-model@2048");
    expect((await indexes()).map((i) => i.indexname)).toEqual(["botsync_kb_chunks_hnsw_2048", "botsync_kb_chunks_hnsw_48"]);
    expect((await indexes())[0]!.indexdef).toMatch(/\(\(\(embedding\)::halfvec\(2048\)\) halfvec_cosine_ops\).*WHERE \(vector_dims\(embedding\) = 2048\)/);

    // Another process meeting a dimension that has its index finds it and builds nothing.
    await store(new PgChunkIndex(sql), BOT_A, "first", "first-48b", [random(48)]);
    expect(await indexes()).toHaveLength(2);
    await sql`delete from botsync_kb_chunks where kb = 'first'`;
    await sql`delete from botsync_kb_documents where kb = 'first'`;
  });

  it("a search runs the index scan with the bot's and KB's filters inside it and answers what the exact scan answers", async () => {
    const index = new PgChunkIndex(sql);
    const g = gaussian(2);
    const query = unit(Array.from({ length: 48 }, g));
    const near = (sigma: number) => unit(query.map((x) => x + sigma * g()));
    const random = () => unit(Array.from({ length: 48 }, g));
    const documents = (count: number, vector: (doc: number, chunk: number) => number[]) =>
      Array.from({ length: count }, (_, d) => Array.from({ length: 10 }, (_, c) => vector(d, c)));
    // Bot B sits right on the query (600 chunks, far more than ef_search), bot A's "manuals" next to it;
    // bot A's "faq" has ten answers a little further out and 490 unrelated chunks.
    const plan: Array<[string, string, string, number[][][]]> = [
      [BOT_B, "faq", "b", documents(60, () => near(0.02))],
      [BOT_A, "manuals", "manual", documents(100, (d) => (d === 0 ? near(0.04) : random()))],
      [BOT_A, "faq", "faq", documents(50, (d) => (d === 0 ? near(0.08) : random()))],
    ];
    for (const [botId, kb, prefix, docs] of plan) {
      for (const [d, vectors] of docs.entries()) await store(index, botId, kb, `${prefix}-${String(d).padStart(3, "0")}`, vectors);
    }
    await sql`analyze botsync_kb_chunks`;

    statements = [];
    const hits = await index.search({ botId: BOT_A, bot: "alpha", kb: "faq", text: "", language: "english", vector: query, space: SPACE, limit: 10 });
    const answers = plan[2]![3][0]!.map((v, i) => ({ documentPath: "faq-000.gbai/faq-000.txt", chunkIndex: i, score: cosine(v, query) })).sort((a, b) => b.score - a.score);
    expect(hits.map((h) => [h.documentPath, h.chunkIndex])).toEqual(answers.map((a) => [a.documentPath, a.chunkIndex]));
    hits.forEach((h, i) => expect(h.score).toBeCloseTo(answers[i]!.score, 5));

    // The exact scan (the bare column, which no index covers) agrees.
    const exact = await sql<{ document_path: string; chunk_index: number }[]>`
      select document_path, chunk_index from botsync_kb_chunks
      where bot_id = ${BOT_A} and kb = 'faq' and vector_dims(embedding) = 48 order by embedding <=> ${`[${query.join(",")}]`}::vector limit 10`;
    expect(exact.map((r) => [r.document_path, r.chunk_index])).toEqual(hits.map((h) => [h.documentPath, h.chunkIndex]));

    // One query answered: the index walk, not the exact fallback.
    const nearest = statements.filter((s) => /order by c\.embedding/.test(s.query));
    expect(nearest).toHaveLength(1);
    const { query: statement, params } = nearest[0]!;
    expect(statement).toMatch(/order by c\.embedding::vector\(48\) <=> q\.v/);

    // EXPLAIN ANALYZE of that very statement: an index scan on the dimension's index whose Filter holds the
    // bot and the KB, and which passed over other bots' and KBs' rows to fill the limit.
    const explain = async (iterative: string) => {
      const connection = await sql.reserve();
      try {
        await connection.unsafe(`begin; set local hnsw.ef_search = 64; set local hnsw.iterative_scan = ${iterative}`);
        const rows = await connection.unsafe(`explain (analyze, costs off, timing off, summary off, buffers off) ${statement}`, params as never[]);
        const count = await connection.unsafe(`select count(*)::int as n from (${statement}) found`, params as never[]);
        await connection`commit`;
        return { plan: rows.map((r) => r["QUERY PLAN"] as string).join("\n"), rows: count[0]!.n as number };
      } finally {
        connection.release();
      }
    };
    const used = await explain("strict_order");
    expect(used.plan).toMatch(/Index Scan using botsync_kb_chunks_hnsw_48 on botsync_kb_chunks c/);
    expect(used.plan).toMatch(/Filter: \(\(bot_id = '00000000-0000-4000-8000-0000000000aa'::uuid\) AND .*kb = 'faq'/);
    expect(Number(/Rows Removed by Filter: (\d+)/.exec(used.plan)?.[1])).toBeGreaterThan(600);
    expect(used.rows).toBe(10);
    // Without the iterative scan the same index hands over its first ef_search candidates — all bot B's —
    // and the filter leaves nothing: the iterative scan is what keeps the filter from costing recall.
    expect((await explain("off")).rows).toBeLessThan(10);
  }, 60_000);

  it("a bot with fewer vectors than the limit gets all of them, nearest first", async () => {
    const index = new PgChunkIndex(sql);
    const g = gaussian(3);
    const vectors = Array.from({ length: 3 }, () => unit(Array.from({ length: 48 }, g)));
    const BOT_C = "00000000-0000-4000-8000-0000000000cc";
    await store(index, BOT_C, "tiny", "tiny", vectors);
    const query = vectors[1]!;
    const hits = await index.search({ botId: BOT_C, bot: "gamma", text: "", language: "english", vector: query, space: SPACE, limit: 10 });
    const expected = vectors.map((v, i) => [i, cosine(v, query)] as const).sort((a, b) => b[1] - a[1]).map(([i]) => i);
    expect(hits.map((h) => h.chunkIndex)).toEqual(expected);
  });
});

describe("a PostgreSQL server without pgvector", () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await stack.createBucket("plain.gbai");
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it("searches by full text in the bot's language, embeds nothing, and says why there is no vector search", async () => {
    expect(await stack.db.sql`select 1 from pg_extension where extname = 'vector'`).toHaveLength(0);
    const before = embeddings.requests.length;
    await stack.put("plain.gbai", "plain.gbot/config.csv", `embedding-url,${embeddings.url}\nembedding-model,test-embed-v1\nembedding-dimensions,256\n`);
    await stack.put("plain.gbai", "plain.gbkb/help/returns.txt", "Refunds are processed within five business days.");
    await stack.settle();
    const result = await (await stack.api("/api/bots/plain/kb/search?q=refund")).json<any>();
    expect(result).toMatchObject({ mode: "fulltext", hits: [{ documentPath: "plain.gbai/plain.gbkb/help/returns.txt" }] });
    expect(result.note).toMatch(/no pgvector extension/);
    expect(embeddings.requests.length).toBe(before);
  });
});
