/**
 * A bot's embedding settings from its config.csv keys, with the botserver's defaults
 * (docs/botserver-compatibility.md, "Embeddings"), read fresh for every job — the botserver reads them once
 * at start-up and needs a restart to see a changed `embedding-url`.
 * No `embedding-url` → null: the knowledge base is still searchable through full-text search.
 */
import type { EmbeddingConfig } from "../ports/embedder.js";

export const EMBEDDING_KEYS = ["embedding-url", "embedding-model", "embedding-key", "embedding-dimensions", "embedding-batch-size", "embedding-timeout"] as const;

const DEFAULT_MODEL = "BAAI/bge-multilingual-gemma2";

/** The botserver's guess from the model name when `embedding-dimensions` is not set. */
export function dimensionsForModel(model: string): number {
  if (/gemma/i.test(model)) return 2048;
  if (/small|MiniLM/.test(model)) return 384;
  if (/base|mpnet/.test(model)) return 768;
  if (/large|ada/.test(model)) return 1536;
  return 384;
}

export function embeddingConfigFrom(config: Readonly<Record<string, string>>): EmbeddingConfig | null {
  const url = config["embedding-url"]?.trim();
  if (!url || !/^https?:\/\//i.test(url)) return null;
  const model = config["embedding-model"]?.trim() || DEFAULT_MODEL;
  const positive = (key: string, fallback: number, max: number) => {
    const n = Number(config[key]);
    return Number.isInteger(n) && n > 0 && n <= max ? n : fallback;
  };
  return {
    url,
    model,
    key: config["embedding-key"]?.trim() || undefined,
    dimensions: positive("embedding-dimensions", dimensionsForModel(model), 16_384),
    batchSize: positive("embedding-batch-size", 16, 2_048),
    timeoutMs: positive("embedding-timeout", 60, 600) * 1000,
  };
}

/** Identifies the vector space: documents embedded under another one must be re-embedded. */
export function embeddingSpace(config: EmbeddingConfig | null): string | null {
  return config ? `${config.model}@${config.dimensions}` : null;
}
