/**
 * Knowledge-base storage. Chunks always live in PostgreSQL (full-text search works with no embedding
 * endpoint at all); vectors go into a pgvector column when the server has the extension (PGlite with
 * pgvector on the embedded default), or into Qdrant when KB_VECTOR_STORE=qdrant. `kb_collections` is the
 * botserver's own table (docs/botserver-compatibility.md, "Qdrant layout"), filled so its `USE KB` finds
 * what botsync indexes.
 */
export const kbTables = /* sql */ `
CREATE TABLE IF NOT EXISTS kb_collections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bot_id uuid NOT NULL,
  name text NOT NULL,
  folder_path text NOT NULL,
  qdrant_collection text NOT NULL,
  document_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (bot_id, name)
);

CREATE TABLE IF NOT EXISTS botsync_kb_documents (
  bot_id uuid NOT NULL,
  kb text NOT NULL,
  document_path text NOT NULL,
  title text NOT NULL,
  etag text NOT NULL,
  chunk_count integer NOT NULL,
  embedding_space text,
  indexed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bot_id, document_path)
);

CREATE TABLE IF NOT EXISTS botsync_kb_chunks (
  bot_id uuid NOT NULL,
  kb text NOT NULL,
  document_path text NOT NULL,
  chunk_index integer NOT NULL,
  content text NOT NULL,
  start_char integer NOT NULL,
  end_char integer NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', content)) STORED,
  PRIMARY KEY (bot_id, document_path, chunk_index)
);
CREATE INDEX IF NOT EXISTS idx_botsync_kb_chunks_tsv ON botsync_kb_chunks USING gin (tsv);
CREATE INDEX IF NOT EXISTS idx_botsync_kb_chunks_kb ON botsync_kb_chunks (bot_id, kb);

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
    CREATE EXTENSION IF NOT EXISTS vector;
    ALTER TABLE botsync_kb_chunks ADD COLUMN IF NOT EXISTS embedding vector;
  END IF;
END $$;
`;
