/**
 * Searching a bot's knowledge base: by vector when the bot has an embedding endpoint and the index holds
 * vectors, by full text otherwise — so search works out of the box, before any embedding server exists.
 */
import { embeddingConfigFrom, embeddingSpace } from "../embeddings/embedding-config.js";
import type { BotConfigReader } from "../ports/bot-config-reader.js";
import type { ChunkIndex, SearchHit } from "../ports/chunk-index.js";
import type { Embedder } from "../ports/embedder.js";

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
  const vector = embedding && (await deps.index.hasVectors()) ? (await deps.embedder.embed(embedding, [query.text]))[0]! : null;
  const hits = await deps.index.search({ ...query, vector, space: embeddingSpace(embedding) });
  return { mode: vector ? "vector" : "fulltext", hits };
}
