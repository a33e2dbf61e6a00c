/**
 * Knowledge-base indexing throughput and search latency (issue #4), printed as one JSON object:
 *  - indexing: 200 text documents (~4 KB each) through the real job path — s3rver, PostgreSQL, the KB lane
 *    with its extraction threads, the embedding-server double (128 dimensions) and the Qdrant REST double;
 *  - search over 100,000 chunks: full-text search in PostgreSQL, and pgvector (exact scan, 128 dimensions)
 *    in PGlite, the embedded default's database. The Qdrant double's own search is a linear scan in
 *    JavaScript and says nothing about Qdrant, so it is not timed.
 * Run: npx tsx bench/kb-index.ts [--quick]
 */
import { join } from "node:path";
import { parseSettings } from "../src/core/settings/settings.js";
import { JsonLogger } from "../src/adapters/log/json-logger.js";
import { connectDatabase } from "../src/adapters/db/connect.js";
import { migrate } from "../src/adapters/db/migrate.js";
import { PgChunkIndex } from "../src/adapters/vectors/pg-chunk-index.js";
import { startEmbeddedPostgres } from "../src/adapters/embedded/pglite-server.js";
import { startNodeService } from "../functions/node-service.js";
import { embedText, startEmbeddingDouble } from "../test/harness/embedding-double.js";
import { startQdrantDouble } from "../test/harness/qdrant-double.js";
import { createBenchDatabase, createBucket, mapLimit, putObject, round, runCleanups, s3Client, serviceEnv, startS3Process, summarize, tempDir } from "./lib.js";

const quick = process.argv.includes("--quick");
const DOCS = quick ? 40 : 200;
const CHUNKS = quick ? 20_000 : 100_000;
const QUERIES = quick ? 50 : 200;
const DIMS = 128;
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

/** Fills `chunks` rows for one bot straight into the table (the indexing path is measured above). */
async function fill(sql: ReturnType<typeof connectDatabase>, botId: string, withVectors: boolean): Promise<void> {
  const batch = 2_000;
  for (let start = 0; start < CHUNKS; start += batch) {
    const ids = Array.from({ length: Math.min(batch, CHUNKS - start) }, (_, i) => start + i);
    const contents = ids.map((i) => text(i + 7, 150));
    const doc = (i: number) => `kbench.gbai/kbench.gbkb/docs/doc-${Math.floor(i / 10)}.txt`;
    if (withVectors) {
      await sql`
        insert into botsync_kb_chunks (bot_id, kb, document_path, chunk_index, content, start_char, end_char, embedding)
        select ${botId}, 'docs', d, i % 10, c, 0, length(c), v::vector
        from unnest(${ids.map(doc)}::text[], ${ids}::int[], ${contents}::text[], ${contents.map((c) => `[${embedText(c, DIMS).join(",")}]`)}::text[]) as t(d, i, c, v)`;
    } else {
      await sql`
        insert into botsync_kb_chunks (bot_id, kb, document_path, chunk_index, content, start_char, end_char)
        select ${botId}, 'docs', d, i % 10, c, 0, length(c)
        from unnest(${ids.map(doc)}::text[], ${ids}::int[], ${contents}::text[]) as t(d, i, c)`;
    }
  }
  await sql`
    insert into botsync_kb_documents (bot_id, kb, document_path, title, etag, chunk_count, embedding_space)
    select distinct bot_id, kb, document_path, 'doc', 'e', 10, ${withVectors ? `bench@${DIMS}` : null} from botsync_kb_chunks where bot_id = ${botId}
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
    await fill(sql, botId, false);
    const index = new PgChunkIndex(sql);
    return { chunks: CHUNKS, database: "PostgreSQL 15 (this machine)", ...(await timeQueries(async (q) => (await index.search({ botId, bot: "kbench", text: q, vector: null, space: null, limit: 10 })).length)) };
  } finally {
    await sql.end();
    await db.drop();
  }
}

async function searchVectors() {
  const dir = await tempDir("kb-pglite");
  const pg = await startEmbeddedPostgres({ dataDir: "memory://", port: 0 });
  const sql = connectDatabase(pg.url, { max: 1 });
  try {
    await migrate(sql);
    const botId = "00000000-0000-4000-8000-00000000b0b0";
    await fill(sql, botId, true);
    const index = new PgChunkIndex(sql);
    return {
      chunks: CHUNKS,
      dimensions: DIMS,
      database: "PGlite + pgvector (embedded default), exact scan",
      ...(await timeQueries(async (q) => (await index.search({ botId, bot: "kbench", text: q, vector: embedText(q, DIMS), space: `bench@${DIMS}`, limit: 10 })).length)),
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
