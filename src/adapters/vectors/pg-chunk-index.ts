import type { ChunkIndex, IndexedChunk, KbDocument, KbDocumentRef, SearchHit } from "../../core/ports/chunk-index.js";
import { db, type Sql } from "../db/connect.js";
import type { QdrantVectors } from "./qdrant-vectors.js";

/** Chunks inserted per statement when a document is replaced. */
const INSERT_BATCH = 500;

/** The botserver's collection name (reference §4.5): `{bot}_{first 8 of bot id}_{kb}`. */
export function collectionName(bot: string, botId: string, kb: string): string {
  return `${bot}_${botId.slice(0, 8)}_${kb}`;
}

/**
 * Chunks in PostgreSQL: full-text search always (`tsvector`, the `simple` configuration so any language
 * works), vector search through pgvector when the server has it. A document is replaced in one
 * transaction, so a search sees its whole old chunk set or its whole new one; `kb_collections` is kept
 * with a real document count (the botserver stores the last file's chunk flag there).
 */
export class PgChunkIndex implements ChunkIndex {
  private vectorColumn: Promise<boolean> | null = null;

  /** `qdrant`: vectors go there (KB_VECTOR_STORE=qdrant); chunks and full text stay in PostgreSQL. */
  constructor(
    private readonly sql: Sql,
    private readonly qdrant: QdrantVectors | null = null,
  ) {}

  /** Vectors are kept when Qdrant is configured, or when the server has pgvector. */
  hasVectors(): Promise<boolean> {
    if (this.qdrant) return Promise.resolve(true);
    this.vectorColumn ??= db(async () => {
      const rows = await this.sql`
        select 1 from information_schema.columns where table_name = 'botsync_kb_chunks' and column_name = 'embedding'`;
      return rows.length > 0;
    });
    return this.vectorColumn;
  }

  replaceDocument(doc: KbDocument, chunks: IndexedChunk[], space: string | null): Promise<void> {
    return db(async () => {
      const embedded = chunks.length > 0 && chunks.every((c) => c.vector !== null);
      // New points first, old ones after: Qdrant has no transaction spanning the two.
      if (this.qdrant) await this.qdrant.replaceDocument(collectionName(doc.bot, doc.botId, doc.kb), doc, embedded ? chunks : []);
      const vectors = !this.qdrant && embedded && (await this.hasVectors());
      await this.sql.begin(async (tx) => {
        await tx`delete from botsync_kb_chunks where bot_id = ${doc.botId} and document_path = ${doc.documentPath}`;
        // In batches: one statement for a 10,000-chunk document (≈ 12 MB of text) held the event loop for
        // 100+ ms while postgres.js built it, and its ~50 MB at once.
        for (let from = 0; from < chunks.length; from += INSERT_BATCH) {
          const batch = chunks.slice(from, from + INSERT_BATCH);
          const columns = {
            index: batch.map((c) => c.index),
            text: batch.map((c) => c.text),
            start: batch.map((c) => c.start),
            end: batch.map((c) => c.end),
          };
          if (vectors) {
            await tx`
              insert into botsync_kb_chunks (bot_id, kb, document_path, chunk_index, content, start_char, end_char, embedding)
              select ${doc.botId}, ${doc.kb}, ${doc.documentPath}, i, t, s, e, v::vector
              from unnest(${columns.index}::int[], ${columns.text}::text[], ${columns.start}::int[], ${columns.end}::int[],
                          ${batch.map((c) => `[${c.vector!.join(",")}]`)}::text[]) as c(i, t, s, e, v)`;
          } else {
            await tx`
              insert into botsync_kb_chunks (bot_id, kb, document_path, chunk_index, content, start_char, end_char)
              select ${doc.botId}, ${doc.kb}, ${doc.documentPath}, i, t, s, e
              from unnest(${columns.index}::int[], ${columns.text}::text[], ${columns.start}::int[], ${columns.end}::int[]) as c(i, t, s, e)`;
          }
        }
        await tx`
          insert into botsync_kb_documents (bot_id, kb, document_path, title, etag, chunk_count, embedding_space, indexed_at)
          values (${doc.botId}, ${doc.kb}, ${doc.documentPath}, ${doc.title}, ${doc.etag}, ${chunks.length}, ${embedded ? space : null}, now())
          on conflict (bot_id, document_path) do update set kb = excluded.kb, title = excluded.title, etag = excluded.etag,
            chunk_count = excluded.chunk_count, embedding_space = excluded.embedding_space, indexed_at = now()`;
        await tx`
          insert into kb_collections (bot_id, name, folder_path, qdrant_collection, document_count)
          values (${doc.botId}, ${doc.kb}, ${`${doc.bot}.gbai/${doc.bot}.gbkb/${doc.kb}`}, ${collectionName(doc.bot, doc.botId, doc.kb)},
                  (select count(*) from botsync_kb_documents where bot_id = ${doc.botId} and kb = ${doc.kb}))
          on conflict (bot_id, name) do update set folder_path = excluded.folder_path, qdrant_collection = excluded.qdrant_collection,
            document_count = excluded.document_count, updated_at = now()`;
      });
    });
  }

  removeDocument(doc: KbDocumentRef): Promise<void> {
    return db(async () => {
      if (this.qdrant) await this.qdrant.removeDocument(collectionName(doc.bot, doc.botId, doc.kb), doc.documentPath);
      await this.sql.begin(async (tx) => {
        await tx`delete from botsync_kb_chunks where bot_id = ${doc.botId} and document_path = ${doc.documentPath}`;
        await tx`delete from botsync_kb_documents where bot_id = ${doc.botId} and document_path = ${doc.documentPath}`;
        const [left] = await tx<{ n: number }[]>`select count(*)::int as n from botsync_kb_documents where bot_id = ${doc.botId} and kb = ${doc.kb}`;
        // A KB folder whose last document is gone is gone too.
        if (left!.n === 0) await tx`delete from kb_collections where bot_id = ${doc.botId} and name = ${doc.kb}`;
        else await tx`update kb_collections set document_count = ${left!.n}, updated_at = now() where bot_id = ${doc.botId} and name = ${doc.kb}`;
      });
    });
  }

  search(query: { botId: string; bot: string; kb?: string; text: string; vector: number[] | null; space: string | null; limit: number }): Promise<SearchHit[]> {
    return db(async () => {
      const kb = query.kb ?? null;
      type Row = { kb: string; document_path: string; chunk_index: number; content: string; start_char: number; end_char: number; score: number };
      let rows: Row[];
      if (query.vector && query.space && this.qdrant) {
        const kbs = await this.sql<{ kb: string }[]>`
          select distinct kb from botsync_kb_documents
          where bot_id = ${query.botId} and embedding_space = ${query.space} and (${kb}::text is null or kb = ${kb})`;
        return this.qdrant.search(
          kbs.map((k) => ({ kb: k.kb, name: collectionName(query.bot, query.botId, k.kb) })),
          query.vector,
          query.limit,
        );
      }
      if (query.vector && query.space && (await this.hasVectors())) {
        rows = await this.sql<Row[]>`
          select c.kb, c.document_path, c.chunk_index, c.content, c.start_char, c.end_char,
                 (1 - (c.embedding <=> ${`[${query.vector.join(",")}]`}::vector))::float8 as score
          from botsync_kb_chunks c join botsync_kb_documents d on d.bot_id = c.bot_id and d.document_path = c.document_path
          where c.bot_id = ${query.botId} and (${kb}::text is null or c.kb = ${kb}) and d.embedding_space = ${query.space}
            and c.embedding is not null
          order by c.embedding <=> ${`[${query.vector.join(",")}]`}::vector
          limit ${query.limit}`;
      } else {
        rows = await this.sql<Row[]>`
          select kb, document_path, chunk_index, content, start_char, end_char,
                 ts_rank(tsv, websearch_to_tsquery('simple', ${query.text}))::float8 as score
          from botsync_kb_chunks
          where bot_id = ${query.botId} and (${kb}::text is null or kb = ${kb}) and tsv @@ websearch_to_tsquery('simple', ${query.text})
          order by score desc, document_path, chunk_index
          limit ${query.limit}`;
      }
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
}
