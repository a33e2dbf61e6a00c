import { transaction, type Sql } from "../../src/adapters/db/connect.js";
import { pgKbStore } from "../../src/adapters/db/kb-store.js";
import type { PgChunkIndex } from "../../src/adapters/vectors/pg-chunk-index.js";
import type { IndexedChunk, KbDocument } from "../../src/core/ports/chunk-index.js";

/** Stores a document the way the KB job does: the chunk index's preparation, then the slice's store in a transaction. */
export async function storeKbDocument(sql: Sql, index: PgChunkIndex, doc: KbDocument, chunks: IndexedChunk[], space: string | null): Promise<{ language: string }> {
  const { vectorsInDatabase } = await index.prepareDocument(doc, chunks);
  const embedded = chunks.length > 0 && chunks.every((c) => c.vector !== null);
  return transaction(sql, (tx) => pgKbStore(tx).replaceDocument(doc, chunks, { space: embedded ? space : null, inDatabase: vectorsInDatabase }));
}
