/** Where knowledge-base chunks live and are searched: PostgreSQL (full text + pgvector) or Qdrant. */
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
   * Replaces a document's chunks as a unit: a search sees the whole old set or the whole new one. Answers
   * the text-search configuration the chunks were indexed with: `doc.language`, or `simple` when the
   * server has no configuration of that name.
   */
  replaceDocument(doc: KbDocument, chunks: IndexedChunk[], space: string | null): Promise<{ language: string }>;
  removeDocument(doc: KbDocumentRef): Promise<void>;
  search(query: KbSearchQuery): Promise<SearchHit[]>;
}
