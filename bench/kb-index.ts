/**
 * Knowledge-base indexing throughput and search latency, printed as one JSON object:
 *  - indexing: 200 text documents (~4 KB each) through the real job path — s3rver, PostgreSQL, the KB lane
 *    with its extraction threads, the embedding-server double (128 dimensions) and the Qdrant REST double;
 *  - full-text search over 100,000 chunks in PostgreSQL, in the bot's language (english, stemmed);
 *  - vector search over 100,000 chunks at 384 dimensions in PGlite + pgvector (the embedded default's
 *    database) through the per-dimension HNSW index, against the exact scan: p50/p99 of the production
 *    query and recall@10. Budget (docs/budgets.md): p99 ≤ 20 ms and recall@10 ≥ 0.95. The corpus and its bulk
 *    load are described in bench/kb-vector-fixture.ts.
 * The Qdrant double's own search is a linear scan in JavaScript and says nothing about Qdrant: not timed.
 * Run: npx tsx bench/kb-index.ts [--quick]
 */
import { storeKbDocument } from "../test/harness/store-kb-document.js";
import { join } from "node:path";
import { parseSettings } from "../src/core/settings/settings.js";
import { JsonLogger } from "../src/adapters/log/json-logger.js";
import { connectDatabase } from "../src/adapters/db/connect.js";
import { migrate } from "../src/adapters/db/migrate.js";
import { PgChunkIndex } from "../src/adapters/vectors/pg-chunk-index.js";
import type { SearchHit } from "../src/core/ports/chunk-index.js";
import { startEmbeddedPostgres } from "../src/adapters/embedded/pglite-server.js";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M } from "../src/adapters/vectors/hnsw-index.js";
import { chunksCopyBinary, VectorCorpus } from "./kb-vector-fixture.js";
import { startNodeService } from "../functions/node-service.js";
import { embedText, startEmbeddingDouble } from "../test/harness/embedding-double.js";
import { startQdrantDouble } from "../test/harness/qdrant-double.js";
import { createBenchDatabase, createBucket, mapLimit, putObject, round, runCleanups, s3Client, serviceEnv, startS3Process, summarize, tempDir } from "./lib.js";

const quick = process.argv.includes("--quick");
const DOCS = quick ? 40 : 200;
const CHUNKS = quick ? 20_000 : 100_000;
const QUERIES = quick ? 50 : 200;
const DIMS = 128;
const SEARCH_DIMS = 384;
const BUDGET = { p99Ms: 20, recallAt10: 0.95 };
// 2,000 made-up words: a query matches a realistic share of the chunks, not all of them.
const SYLLABLES = "ka lo mi ne ru sa ti vo we xu ya ze bi co da".split(" ");
const WORDS = Array.from({ length: 2000 }, (_, i) => SYLLABLES[i % 15]! + SYLLABLES[Math.floor(i / 15) % 15]! + SYLLABLES[Math.floor(i / 225) % 15]!);

function text(seed: number, words: number): string {
  let x = seed * 2654435761;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    out.push(WORDS[x % WORDS.length]!);
  }
  return out.join(" ");
}

async function indexing() {
  const db = await createBenchDatabase();
  const dir = await tempDir("kb-index");
  const s3 = await startS3Process(join(dir.path, "s3"));
  const embeddings = await startEmbeddingDouble({ dimensions: DIMS });
  const qdrant = await startQdrantDouble();
  const service = await startNodeService(
    parseSettings({
      ...serviceEnv(db, s3, join(dir.path, "data")),
      KB_VECTOR_STORE: "qdrant",
      QDRANT_URL: qdrant.url,
      QDRANT_API_KEY: qdrant.apiKey,
    }),
    { log: new JsonLogger({}, "error", () => {}), reconcileTimer: false },
  );
  const client = s3Client(s3.endpoint, s3.accessKeyId, s3.secretAccessKey);
  try {
    await createBucket(client, "kbench.gbai");
    await putObject(client, "kbench.gbai", "kbench.gbot/config.csv", `embedding-url,${embeddings.url}\nembedding-model,bench\nembedding-dimensions,${DIMS}\n`);
    await service.tick();
    await waitIdle(service.sql);
    const bodies = Array.from({ length: DOCS }, (_, i) => text(i + 1, 700));
    const bytes = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0);
    await mapLimit(bodies, 16, (body, i) => putObject(client, "kbench.gbai", `kbench.gbkb/docs/doc-${String(i).padStart(4, "0")}.txt`, body));
    const started = performance.now();
    await service.tick();
    await waitIdle(service.sql);
    const seconds = (performance.now() - started) / 1000;
    const [chunks] = await service.sql<{ n: number; failed: number }[]>`
      select (select count(*)::int from botsync_kb_chunks) as n, (select count(*)::int from drive_files where sync_status <> 'synced') as failed`;
    return {
      documents: DOCS,
      megabytes: round(bytes / 1e6, 2),
      chunks: chunks!.n,
      notSynced: chunks!.failed,
      seconds: round(seconds, 2),
      documentsPerSecond: round(DOCS / seconds, 1),
      chunksPerSecond: round(chunks!.n / seconds, 1),
      megabytesPerSecond: round(bytes / 1e6 / seconds, 2),
      embeddingRequests: embeddings.requests.length,
    };
  } finally {
    client.destroy();
    await service.close();
    await qdrant.close();
    await embeddings.close();
    await s3.close();
    await db.drop();
    await dir.remove();
  }
}

async function waitIdle(sql: ReturnType<typeof connectDatabase>): Promise<void> {
  for (;;) {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drive_files where sync_status = 'pending' or lease_until > now()`;
    if (row!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Fills `chunks` rows of text for one bot straight into the table (the indexing path is measured above). */
async function fill(sql: ReturnType<typeof connectDatabase>, botId: string): Promise<void> {
  const batch = 2_000;
  for (let start = 0; start < CHUNKS; start += batch) {
    const ids = Array.from({ length: Math.min(batch, CHUNKS - start) }, (_, i) => start + i);
    const contents = ids.map((i) => text(i + 7, 150));
    const doc = (i: number) => `kbench.gbai/kbench.gbkb/docs/doc-${Math.floor(i / 10)}.txt`;
    await sql`
      insert into botsync_kb_chunks (bot_id, kb, document_path, chunk_index, content, start_char, end_char, language)
      select ${botId}, 'docs', d, i % 10, c, 0, length(c), botsync_kb_regconfig('english')
      from unnest(${ids.map(doc)}::text[], ${ids}::int[], ${contents}::text[]) as t(d, i, c)`;
  }
  await sql`
    insert into botsync_kb_documents (bot_id, kb, document_path, title, etag, chunk_count, embedding_space)
    select distinct bot_id, kb, document_path, 'doc', 'e', 10, null from botsync_kb_chunks where bot_id = ${botId}
    on conflict do nothing`;
  await sql`analyze botsync_kb_chunks`;
}

async function timeQueries(run: (q: string) => Promise<number>): Promise<{ ms: ReturnType<typeof summarize>; averageHits: number }> {
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < QUERIES + 10; i++) {
    const q = `${WORDS[(i * 37) % WORDS.length]} ${WORDS[(i * 101) % WORDS.length]}`;
    const t0 = performance.now();
    const n = await run(q);
    if (i >= 10) {
      times.push(performance.now() - t0);
      hits += n;
    }
  }
  return { ms: summarize(times), averageHits: round(hits / QUERIES, 1) };
}

async function searchFullText() {
  const db = await createBenchDatabase();
  const sql = connectDatabase(db.url, { max: 2 });
  try {
    await migrate(sql);
    const botId = "00000000-0000-4000-8000-00000000b0b0";
    await fill(sql, botId);
    const index = new PgChunkIndex(sql);
    return {
      chunks: CHUNKS,
      database: "PostgreSQL 15 (this machine)",
      language: "english",
      ...(await timeQueries(async (q) => (await index.search({ botId, bot: "kbench", text: q, language: "english", vector: null, space: null, limit: 10 })).length)),
    };
  } finally {
    await sql.end();
    await db.drop();
  }
}

const BOT_ID = "00000000-0000-4000-8000-00000000b0b0";
const SPACE = `bench@${SEARCH_DIMS}`;

/**
 * Schema through the production migrations, then the corpus by binary COPY in-process (see
 * kb-vector-fixture.ts), then the data directory is served over the wire like the embedded default.
 */
async function loadVectorFixture(dataDir: string, corpus: VectorCorpus): Promise<number> {
  const schema = await startEmbeddedPostgres({ dataDir, port: 0 });
  const schemaSql = connectDatabase(schema.url, { max: 1 });
  await migrate(schemaSql);
  await schemaSql.end();
  await schema.close();
  const started = performance.now();
  const lite = await PGlite.create({ dataDir, extensions: { vector } });
  try {
    const path = (doc: number) => `kbench.gbai/kbench.gbkb/docs/doc-${doc}.txt`;
    const columns = "bot_id, kb, document_path, chunk_index, content, start_char, end_char, embedding_space, embedding";
    await lite.query(`copy botsync_kb_chunks (${columns}) from '/dev/blob' with (format binary)`, [], {
      blob: new Blob([chunksCopyBinary(corpus, { botId: BOT_ID, kb: "docs", space: SPACE, documentPath: path })]),
    });
    await lite.query(
      `insert into botsync_kb_documents (bot_id, kb, document_path, title, etag, chunk_count, embedding_space)
       select bot_id, kb, document_path, 'doc', 'e', count(*), $1 from botsync_kb_chunks group by 1, 2, 3`,
      [SPACE],
    );
  } finally {
    await lite.close();
  }
  return (performance.now() - started) / 1000;
}

async function searchVectors() {
  const dir = await tempDir("kb-pglite");
  const corpus = new VectorCorpus({ chunks: CHUNKS, dims: SEARCH_DIMS, chunksPerDocument: 10, seed: 20260702 });
  const loadSeconds = await loadVectorFixture(dir.path, corpus);
  const pg = await startEmbeddedPostgres({ dataDir: dir.path, port: 0 });
  const sql = connectDatabase(pg.url, { max: 1 });
  try {
    // A bulk build over 100k vectors wants the graph in memory (~200 MB); the server default is 64 MB.
    await sql`set maintenance_work_mem = '1GB'`;
    const index = new PgChunkIndex(sql);
    // The production path: storing a document of a dimension with no index builds it — here over the whole
    // fixture, as an upgraded database would.
    const buildStarted = performance.now();
    const one = corpus.query();
    await storeKbDocument(
      sql,
      index,
      { botId: BOT_ID, bot: "kbench", kb: "docs", documentPath: "kbench.gbai/kbench.gbkb/docs/extra.txt", title: "extra", etag: "e", language: "english" },
      [{ index: 0, text: "one more chunk", start: 0, end: 14, vector: one }],
      SPACE,
    );
    const buildSeconds = (performance.now() - buildStarted) / 1000;
    await sql`reset maintenance_work_mem`;
    await sql`analyze botsync_kb_chunks`;
    const [plan] = await sql<{ indexdef: string }[]>`select indexdef from pg_indexes where indexname = ${`botsync_kb_chunks_hnsw_${SEARCH_DIMS}`}`;
    // Warm-up queries first, then the timed ones; the exact scans come after all of them, because each one
    // reads the whole table through the buffer cache and would evict the index between timed searches.
    const queries = Array.from({ length: QUERIES + 10 }, () => corpus.query());
    const times: number[] = [];
    const answers: SearchHit[][] = [];
    for (const [i, q] of queries.entries()) {
      const t0 = performance.now();
      const hits = await index.search({ botId: BOT_ID, bot: "kbench", text: "", language: "english", vector: q, space: SPACE, limit: 10 });
      if (i >= 10) times.push(performance.now() - t0);
      answers.push(hits);
    }
    const exactTimes: number[] = [];
    let found = 0;
    for (const [i, q] of queries.entries()) {
      if (i < 10) continue;
      const t0 = performance.now();
      // The exact scan: the same distances on the bare column, which no index covers.
      const exact = await sql<{ score: number }[]>`
        select (1 - (embedding <=> ${`[${q.join(",")}]`}::vector))::float8 as score from botsync_kb_chunks
        where bot_id = ${BOT_ID} and vector_dims(embedding) = ${SEARCH_DIMS} order by embedding <=> ${`[${q.join(",")}]`}::vector limit 10`;
      exactTimes.push(performance.now() - t0);
      // A hit counts when it is at least as near as the exact 10th: ties at the boundary are not misses.
      const tenth = exact[exact.length - 1]!.score;
      found += answers[i]!.filter((h) => h.score >= tenth - 1e-6).length;
    }
    const ms = summarize(times);
    const recallAt10 = round(found / (QUERIES * 10), 4);
    return {
      chunks: CHUNKS + 1,
      dimensions: SEARCH_DIMS,
      database: "PGlite + pgvector (embedded default), HNSW index per dimension",
      index: { definition: plan?.indexdef ?? null, m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION, efSearch: HNSW_EF_SEARCH, iterativeScan: "strict_order" },
      fixtureLoadSeconds: round(loadSeconds, 1),
      indexBuildSeconds: round(buildSeconds, 1),
      queries: QUERIES,
      ms,
      exactScanMs: summarize(exactTimes),
      recallAt10,
      budget: BUDGET,
      met: { p99: ms.p99 <= BUDGET.p99Ms, recall: recallAt10 >= BUDGET.recallAt10 },
    };
  } finally {
    await sql.end();
    await pg.close();
    await dir.remove();
  }
}

try {
  const result = { section: "kb-index", indexing: await indexing(), searchFullText: await searchFullText(), searchVectors: await searchVectors() };
  console.log(JSON.stringify(result));
} finally {
  await runCleanups();
}
