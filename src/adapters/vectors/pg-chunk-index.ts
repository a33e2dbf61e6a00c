import type { ChunkIndex, IndexedChunk, KbDocument, KbDocumentRef, KbSearchQuery, SearchHit } from "../../core/ports/chunk-index.js";
import { collectionName } from "../../core/kb/collection-name.js";
import { db, type Sql } from "../db/connect.js";
import { dimensionPlan, HNSW_EF_SEARCH, HnswIndexes } from "./hnsw-index.js";
import type { QdrantVectors } from "./qdrant-vectors.js";


type Row = { kb: string; document_path: string; chunk_index: number; content: string; start_char: number; end_char: number; score: number };

/**
 * Searching chunks in PostgreSQL: full-text search always, vector search through pgvector when the server
 * has it (or Qdrant, with KB_VECTOR_STORE=qdrant).
 *
 * Full text: each chunk is indexed with the bot's text-search configuration (`kb-language`) and searched
 * with the same one, both resolved by `botsync_kb_regconfig` (migration 005: `simple` where the server
 * lacks the name).
 *
 * Vectors: an HNSW index per dimension (hnsw-index.ts). The bot, KB and embedding-space filters, all on
 * the chunk row, sit in the index scan: pgvector's iterative scan (`hnsw.iterative_scan = strict_order`)
 * keeps walking the graph, in distance order, until the LIMIT is filled by rows that pass them, instead
 * of filtering a fixed ef_search set after the fact (which returns few or no rows for a bot that holds a
 * small share of the vectors). The walk stops after `hnsw.max_scan_tuples`; an answer with fewer rows
 * than asked is therefore checked by an exact scan of the bot's vectors, which is what a bot with fewer
 * chunks than the limit costs anyway.
 *
 * The chunk rows themselves are written by the KB slice's store (src/adapters/db/kb-store.ts) in the job's
 * transaction; what happens here before it is what cannot be in it: Qdrant's points, a dimension's index.
 */
export class PgChunkIndex implements ChunkIndex {
  private vectorColumn: Promise<boolean> | null = null;
  private readonly hnsw: HnswIndexes;

  /** `qdrant`: vectors go there (KB_VECTOR_STORE=qdrant); chunks and full text stay in PostgreSQL. */
  constructor(
    private readonly sql: Sql,
    private readonly qdrant: QdrantVectors | null = null,
  ) {
    this.hnsw = new HnswIndexes(sql);
  }

  /** Vectors are kept when Qdrant is configured, or when the server has pgvector. */
  hasVectors(): Promise<boolean> {
    if (this.qdrant) return Promise.resolve(true);
    this.vectorColumn ??= db(async () => {
      const rows = await this.sql`
        select 1 from information_schema.columns where table_name = 'botsync_kb_chunks' and column_name = 'embedding'`;
      return rows.length > 0;
    }).catch((error: unknown) => {
      // A database that was down at the first ask is asked again next time.
      this.vectorColumn = null;
      throw error;
    });
    return this.vectorColumn;
  }

  prepareDocument(doc: KbDocument, chunks: IndexedChunk[]): Promise<{ vectorsInDatabase: boolean }> {
    return db(async () => {
      const embedded = chunks.length > 0 && chunks.every((c) => c.vector !== null);
      // New points first, old ones after: Qdrant has no transaction spanning the two.
      if (this.qdrant) {
        await this.qdrant.replaceDocument(collectionName(doc.bot, doc.botId, doc.kb), doc, embedded ? chunks : []);
        return { vectorsInDatabase: false };
      }
      const inDatabase = embedded && (await this.hasVectors());
      if (inDatabase) await this.hnsw.ensure(chunks[0]!.vector!.length);
      return { vectorsInDatabase: inDatabase };
    });
  }

  async prepareRemove(doc: KbDocumentRef): Promise<void> {
    if (this.qdrant) await this.qdrant.removeDocument(collectionName(doc.bot, doc.botId, doc.kb), doc.documentPath);
  }

  search(query: KbSearchQuery): Promise<SearchHit[]> {
    return db(async () => {
      if (query.vector && query.space && this.qdrant) {
        const kbs = await this.sql<{ kb: string }[]>`
          select distinct kb from botsync_kb_documents
          where bot_id = ${query.botId} and embedding_space = ${query.space} and (${query.kb ?? null}::text is null or kb = ${query.kb ?? null})`;
        return this.qdrant.search(
          kbs.map((k) => ({ kb: k.kb, name: collectionName(query.bot, query.botId, k.kb) })),
          query.vector,
          query.limit,
        );
      }
      const rows =
        query.vector && query.space && (await this.hasVectors())
          ? await this.searchVectors({ ...query, vector: query.vector, space: query.space })
          : await this.searchFullText(query);
      return rows.map((r) => ({
        kb: r.kb,
        documentPath: r.document_path,
        chunkIndex: r.chunk_index,
        text: r.content,
        start: r.start_char,
        end: r.end_char,
        score: r.score,
      }));
    });
  }

  private searchFullText(query: KbSearchQuery): Promise<Row[]> {
    const kb = query.kb ?? null;
    return this.sql<Row[]>`
      select kb, document_path, chunk_index, content, start_char, end_char, ts_rank(tsv_language, q)::float8 as score
      from botsync_kb_chunks, websearch_to_tsquery(botsync_kb_regconfig(${query.language}), ${query.text}) as q
      where bot_id = ${query.botId} and (${kb}::text is null or kb = ${kb}) and tsv_language @@ q
      order by score desc, document_path, chunk_index
      limit ${query.limit}`;
  }

  private async searchVectors(query: KbSearchQuery & { vector: number[]; space: string }): Promise<Row[]> {
    const plan = dimensionPlan(query.vector.length);
    const rows = await this.nearest(query, plan.cast);
    // Fewer rows than asked: the bot has fewer vectors than that, or the index walk hit its tuple limit
    // before the filters let enough through. The exact scan tells which and answers right in both cases.
    return plan.cast && rows.length < query.limit ? this.nearest(query, null) : rows;
  }

  /**
   * The `limit` chunks nearest to the query vector. `cast` set: distances on `embedding::cast`, the
   * expression the dimension's HNSW index is built on, with the dimension predicate written as a literal
   * so the planner can match the partial index. `cast` null: the same distances on the bare column, which
   * no index covers — the exact scan. The query vector travels once (the subquery is flattened into both
   * uses), and the search settings are transaction-local: BEGIN with the settings, the query and COMMIT
   * are pipelined on one connection, so they cost one round trip, not three.
   */
  private async nearest(query: KbSearchQuery & { vector: number[]; space: string }, cast: string | null): Promise<Row[]> {
    const kb = query.kb ?? null;
    const column = this.sql.unsafe(cast ? `c.embedding::${cast}` : "c.embedding");
    const type = this.sql.unsafe(cast ?? "vector");
    const dims = this.sql.unsafe(String(query.vector.length));
    const connection = await this.sql.reserve();
    try {
      const [, rows] = await Promise.all([
        connection.unsafe(`begin; set local hnsw.ef_search = ${HNSW_EF_SEARCH}; set local hnsw.iterative_scan = strict_order`),
        connection<Row[]>`
          select c.kb, c.document_path, c.chunk_index, c.content, c.start_char, c.end_char, (1 - (${column} <=> q.v))::float8 as score
          from (select ${`[${query.vector.join(",")}]`}::${type} as v) q, botsync_kb_chunks c
          where c.bot_id = ${query.botId} and (${kb}::text is null or c.kb = ${kb}) and c.embedding_space = ${query.space}
            and vector_dims(c.embedding) = ${dims}
          order by ${column} <=> q.v
          limit ${query.limit}`,
        connection`commit`,
      ]);
      return rows;
    } finally {
      connection.release();
    }
  }
}
