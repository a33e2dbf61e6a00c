/**
 * Searching a bot's knowledge base: by vector when the bot has an embedding endpoint and the index holds
 * vectors, by full text otherwise — so search works out of the box, before any embedding server exists.
 * Full-text search uses the bot's `kb-language`, so word forms match (`refund` finds "Refunds"). When the
 * answer comes from full text although the bot asked for vectors, `note` says why.
 */
import { embeddingSpace } from "../embeddings/embedding-config.js";
import { embeddingForBot } from "../embeddings/embedding-for-bot.js";
import type { BotSecrets } from "../ports/bot-secrets.js";
import type { BotConfigReader } from "../ports/bot-config-reader.js";
import type { ChunkIndex, SearchHit } from "../ports/chunk-index.js";
import type { Embedder } from "../ports/embedder.js";
import { BotsyncError } from "../errors.js";
import { kbLanguageFrom } from "./kb-language.js";

export interface KbSearchDeps {
  index: ChunkIndex;
  embedder: Embedder;
  config: BotConfigReader;
  /** the bots' own secrets (the embedding key when config.csv has none); absent in a Worker */
  secrets?: BotSecrets;
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
  let config: Record<string, string> = {};
  let note: string | undefined;
  try {
    config = await deps.config.read(query.botId);
  } catch (error) {
    // A sealed value that does not open fails the bot's KB jobs by name; search still answers from full text.
    if (!(error instanceof BotsyncError && error.code === "CONFIG_DECRYPT_FAILED")) throw error;
    note = `the bot's config could not be read (${error.message}), so these results come from full-text search with the default language`;
  }
  const embedding = await embeddingForBot(query.botId, config, deps);
  let vector: number[] | null = null;
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
