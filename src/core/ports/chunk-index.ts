/**
 * Where knowledge-base chunks are searched (PostgreSQL full text + pgvector, or Qdrant), and the part of
 * storing a document that cannot be in the job's transaction: writing vectors to Qdrant, making sure a
 * dimension's HNSW index exists. The chunks, documents and KB rows themselves go through the KB slice's
 * store (core/kb/kb-store.ts), in the job's transaction.
 */
export interface KbDocumentRef {
  botId: string;
  bot: string;
  kb: string;
  /** `{bucket}/{key}` — the botserver's `document_path` */
  documentPath: string;
}

export interface KbDocument extends KbDocumentRef {
  title: string;
  etag: string;
  /** the text-search configuration the bot asks for (`kb-language`, see core/kb/kb-language.ts) */
  language: string;
}

export interface IndexedChunk {
  index: number;
  text: string;
  start: number;
  end: number;
  vector: number[] | null;
}

export interface SearchHit {
  kb: string;
  documentPath: string;
  chunkIndex: number;
  text: string;
  start: number;
  end: number;
  score: number;
}

export interface KbSearchQuery {
  botId: string;
  bot: string;
  kb?: string;
  text: string;
  /** the text-search configuration asked for; full-text search uses it (or `simple` when the server lacks it) */
  language: string;
  /** the query's embedding, or null for full-text search */
  vector: number[] | null;
  space: string | null;
  limit: number;
}

export interface ChunkIndex {
  /** Whether vectors are kept at all: Qdrant is configured, or the database has pgvector. */
  hasVectors(): Promise<boolean>;
  /**
   * Before the job's transaction: writes the document's vectors where they live outside PostgreSQL
   * (Qdrant), or makes sure their dimension's index exists. Answers whether the vectors are to be stored
   * with the chunks in PostgreSQL (pgvector).
   */
  prepareDocument(doc: KbDocument, chunks: IndexedChunk[]): Promise<{ vectorsInDatabase: boolean }>;
  /** Before the job's transaction: removes the document's vectors kept outside PostgreSQL. */
  prepareRemove(doc: KbDocumentRef): Promise<void>;
  search(query: KbSearchQuery): Promise<SearchHit[]>;
}
