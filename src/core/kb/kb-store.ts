/**
 * The KB slice's store: a document's chunks (with their full-text and, with pgvector, vector columns), its
 * `botsync_kb_documents` row and its KB's `kb_collections` count, written inside the job's transaction —
 * so the index and the job's completion commit together, and a search sees a document's whole old chunk
 * set or its whole new one. Implemented by src/adapters/db/kb-store.ts.
 */
import type { IndexedChunk, KbDocument, KbDocumentRef } from "../ports/chunk-index.js";

export interface KbStore {
  /**
   * Replaces the document's chunks. `space` names the vectors' embedding space, or null when the chunks
   * carry none; `vectorsInDatabase` stores the vectors in the chunk rows (pgvector). Answers the
   * text-search configuration the chunks were indexed with: `doc.language`, or `simple` when the server has
   * no configuration of that name.
   */
  replaceDocument(doc: KbDocument, chunks: IndexedChunk[], vectors: { space: string | null; inDatabase: boolean }): Promise<{ language: string }>;
  removeDocument(doc: KbDocumentRef): Promise<void>;
}
