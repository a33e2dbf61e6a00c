import { collectionName } from "../../core/kb/collection-name.js";
import type { KbStore } from "../../core/kb/kb-store.js";
import type { Tx } from "./connect.js";

/** Chunks inserted per statement when a document is replaced. */
const INSERT_BATCH = 500;

/**
 * The KB slice's store, in the job's transaction: a document's chunks, indexed for full text with the
 * bot's text-search configuration (resolved by `botsync_kb_regconfig`: `simple` where the server lacks the
 * name) and, with pgvector, with their vectors; its `botsync_kb_documents` row; its KB's `kb_collections`
 * row with a real document count (the botserver stores the last file's chunk flag there).
 */
export function pgKbStore(tx: Tx): KbStore {
  return {
    async replaceDocument(doc, chunks, vectors) {
      const [[resolved]] = await Promise.all([
        tx<{ language: string }[]>`select botsync_kb_regconfig(${doc.language})::text as language`,
        tx`delete from botsync_kb_chunks where bot_id = ${doc.botId} and document_path = ${doc.documentPath}`,
      ]);
      const language = resolved!.language;
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
        if (vectors.inDatabase) {
          await tx`
            insert into botsync_kb_chunks (bot_id, kb, document_path, chunk_index, content, start_char, end_char, language, embedding_space, embedding)
            select ${doc.botId}, ${doc.kb}, ${doc.documentPath}, i, t, s, e, ${language}::regconfig, ${vectors.space}, v::vector
            from unnest(${columns.index}::int[], ${columns.text}::text[], ${columns.start}::int[], ${columns.end}::int[],
                        ${batch.map((c) => `[${c.vector!.join(",")}]`)}::text[]) as c(i, t, s, e, v)`;
        } else {
          await tx`
            insert into botsync_kb_chunks (bot_id, kb, document_path, chunk_index, content, start_char, end_char, language)
            select ${doc.botId}, ${doc.kb}, ${doc.documentPath}, i, t, s, e, ${language}::regconfig
            from unnest(${columns.index}::int[], ${columns.text}::text[], ${columns.start}::int[], ${columns.end}::int[]) as c(i, t, s, e)`;
        }
      }
      await tx`
        insert into botsync_kb_documents (bot_id, kb, document_path, title, etag, chunk_count, embedding_space, indexed_at)
        values (${doc.botId}, ${doc.kb}, ${doc.documentPath}, ${doc.title}, ${doc.etag}, ${chunks.length}, ${vectors.space}, now())
        on conflict (bot_id, document_path) do update set kb = excluded.kb, title = excluded.title, etag = excluded.etag,
          chunk_count = excluded.chunk_count, embedding_space = excluded.embedding_space, indexed_at = now()`;
      await tx`
        insert into kb_collections (bot_id, name, folder_path, qdrant_collection, document_count)
        values (${doc.botId}, ${doc.kb}, ${`${doc.bot}.gbai/${doc.bot}.gbkb/${doc.kb}`}, ${collectionName(doc.bot, doc.botId, doc.kb)},
                (select count(*) from botsync_kb_documents where bot_id = ${doc.botId} and kb = ${doc.kb}))
        on conflict (bot_id, name) do update set folder_path = excluded.folder_path, qdrant_collection = excluded.qdrant_collection,
          document_count = excluded.document_count, updated_at = now()`;
      return { language };
    },

    async removeDocument(doc) {
      await tx`delete from botsync_kb_chunks where bot_id = ${doc.botId} and document_path = ${doc.documentPath}`;
      await tx`delete from botsync_kb_documents where bot_id = ${doc.botId} and document_path = ${doc.documentPath}`;
      const [left] = await tx<{ n: number }[]>`select count(*)::int as n from botsync_kb_documents where bot_id = ${doc.botId} and kb = ${doc.kb}`;
      // A KB folder whose last document is gone is gone too.
      if (left!.n === 0) await tx`delete from kb_collections where bot_id = ${doc.botId} and name = ${doc.kb}`;
      else await tx`update kb_collections set document_count = ${left!.n}, updated_at = now() where bot_id = ${doc.botId} and name = ${doc.kb}`;
    },
  };
}
