/**
 * Searching a bot's knowledge base: by vector when the bot has an embedding endpoint and the index holds
 * vectors, by full text otherwise — so search works out of the box, before any embedding server exists.
 */
import { embeddingConfigFrom, embeddingSpace } from "../embeddings/embedding-config.js";
import type { BotConfigReader } from "../ports/bot-config-reader.js";
import type { ChunkIndex, SearchHit } from "../ports/chunk-index.js";
import type { Embedder } from "../ports/embedder.js";
import { BotsyncError } from "../errors.js";

export interface KbSearchDeps {
  index: ChunkIndex & { hasVectors(): Promise<boolean> };
  embedder: Embedder;
  config: BotConfigReader;
}

export async function searchKb(
  deps: KbSearchDeps,
  query: { botId: string; bot: string; text: string; kb?: string; limit: number },
): Promise<{ mode: "vector" | "fulltext"; hits: SearchHit[] }> {
  const embedding = embeddingConfigFrom(await deps.config.read(query.botId));
  let vector: number[] | null = null;
  if (embedding && (await deps.index.hasVectors())) {
    try {
      vector = (await deps.embedder.embed(embedding, [query.text]))[0]!;
    } catch (error) {
      // An embedding server that is down must not take search down with it: full text still answers.
      if (!(error instanceof BotsyncError && error.code === "EMBEDDING_FAILED")) throw error;
    }
  }
  const hits = await deps.index.search({ ...query, vector, space: embeddingSpace(embedding) });
  return { mode: vector ? "vector" : "fulltext", hits };
}
