/**
 * Searching a bot's knowledge base: by vector when the bot has an embedding endpoint and the index holds
 * vectors, by full text otherwise — so search works out of the box, before any embedding server exists.
 * Full-text search uses the bot's `kb-language`, so word forms match (`refund` finds "Refunds"). When the
 * answer comes from full text although the bot asked for vectors, `note` says why.
 */
import { embeddingConfigFrom, embeddingSpace } from "../embeddings/embedding-config.js";
import type { BotConfigReader } from "../ports/bot-config-reader.js";
import type { ChunkIndex, SearchHit } from "../ports/chunk-index.js";
import type { Embedder } from "../ports/embedder.js";
import { BotsyncError } from "../errors.js";
import { kbLanguageFrom } from "./kb-language.js";

export interface KbSearchDeps {
  index: ChunkIndex;
  embedder: Embedder;
  config: BotConfigReader;
}

export interface KbSearchResult {
  mode: "vector" | "fulltext";
  hits: SearchHit[];
  /** why a bot with an embedding endpoint got full-text results */
  note?: string;
}

export const NO_PGVECTOR_NOTE =
  "vector search is unavailable: the database server has no pgvector extension (and KB_VECTOR_STORE is not qdrant), so these results come from full-text search";

export async function searchKb(deps: KbSearchDeps, query: { botId: string; bot: string; text: string; kb?: string; limit: number }): Promise<KbSearchResult> {
  const config = await deps.config.read(query.botId);
  const embedding = embeddingConfigFrom(config);
  let vector: number[] | null = null;
  let note: string | undefined;
  if (embedding && !(await deps.index.hasVectors())) note = NO_PGVECTOR_NOTE;
  else if (embedding) {
    try {
      vector = (await deps.embedder.embed(embedding, [query.text]))[0]!;
    } catch (error) {
      // An embedding server that is down must not take search down with it: full text still answers.
      if (!(error instanceof BotsyncError && error.code === "EMBEDDING_FAILED")) throw error;
      note = `the embedding server failed (${error.message}), so these results come from full-text search`;
    }
  }
  const hits = await deps.index.search({ ...query, language: kbLanguageFrom(config), vector, space: embeddingSpace(embedding) });
  return { mode: vector ? "vector" : "fulltext", hits, ...(note ? { note } : {}) };
}
