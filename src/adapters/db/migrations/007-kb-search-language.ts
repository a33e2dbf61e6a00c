/**
 * Full-text search in the bot's language (`kb-language`, default `english`), so `refund` finds "Refunds",
 * and vector search whose filters all sit on the chunk row. Additions only: the `tsv` column of 004 (the
 * `simple` configuration) stays as it was; each chunk gains the configuration it is indexed with, a
 * stemmed `tsv_language` generated from it, and its document's `embedding_space` — so a vector search
 * filters bot, KB and space inside the HNSW index scan instead of joining the documents table.
 *
 * `botsync_kb_regconfig(name)` is the one place that turns a configuration name into one the server has:
 * that name when pg_ts_config knows it, `simple` otherwise. Writes and searches both call it, so a chunk
 * and the query that should find it are always parsed the same way.
 *
 * Existing chunks get their document's embedding space and their bot's language here (kb-language
 * trimmed and lower-cased, `english` when unset, as src/core/kb/kb-language.ts reads it), so an upgraded
 * database searches like a freshly indexed one without re-embedding anything. That rewrites the chunk
 * table once, which takes time in proportion to it: the per-statement timeout is lifted for this
 * migration only.
 */
export const kbSearchLanguage = /* sql */ `
SET LOCAL statement_timeout = 0;

CREATE OR REPLACE FUNCTION botsync_kb_regconfig(config_name text) RETURNS regconfig
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(
    (SELECT c.oid::regconfig FROM pg_ts_config c WHERE c.cfgname = config_name AND pg_ts_config_is_visible(c.oid) LIMIT 1),
    'simple'::regconfig)
$$;

ALTER TABLE botsync_kb_chunks ADD COLUMN IF NOT EXISTS language regconfig NOT NULL DEFAULT 'simple';
ALTER TABLE botsync_kb_chunks ADD COLUMN IF NOT EXISTS embedding_space text;

UPDATE botsync_kb_chunks c SET
  language = b.language,
  embedding_space = (SELECT d.embedding_space FROM botsync_kb_documents d WHERE d.bot_id = c.bot_id AND d.document_path = c.document_path)
FROM (
  SELECT bots.bot_id,
         botsync_kb_regconfig(coalesce(nullif(lower(btrim(bc.config_value)), ''), 'english')) AS language
  FROM (SELECT DISTINCT bot_id FROM botsync_kb_chunks) bots
  LEFT JOIN bot_configuration bc ON bc.bot_id = bots.bot_id AND bc.config_key = 'kb-language' AND NOT bc.is_encrypted
) b
WHERE c.bot_id = b.bot_id;

ALTER TABLE botsync_kb_chunks ADD COLUMN IF NOT EXISTS tsv_language tsvector
  GENERATED ALWAYS AS (to_tsvector(language, content)) STORED;
CREATE INDEX IF NOT EXISTS idx_botsync_kb_chunks_tsv_language ON botsync_kb_chunks USING gin (tsv_language);
`;
