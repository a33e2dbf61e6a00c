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

export interface ChunkIndex {
  /** Replaces a document's chunks as a unit: a search sees the whole old set or the whole new one. */
  replaceDocument(doc: KbDocument, chunks: IndexedChunk[], space: string | null): Promise<void>;
  removeDocument(doc: KbDocumentRef): Promise<void>;
  search(query: { botId: string; bot: string; kb?: string; text: string; vector: number[] | null; space: string | null; limit: number }): Promise<SearchHit[]>;
}
