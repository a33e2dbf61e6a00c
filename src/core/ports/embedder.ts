/** An OpenAI-compatible embedding endpoint, configured per bot (config.csv `embedding-*`, read fresh per job). */
export interface EmbeddingConfig {
  /** POSTed as-is, like the botserver does */
  url: string;
  model: string;
  key?: string;
  dimensions: number;
  batchSize: number;
  timeoutMs: number;
}

export interface Embedder {
  /** one vector per text, in order; throws EMBEDDING_FAILED (retryable) when the endpoint keeps failing */
  embed(config: EmbeddingConfig, texts: string[]): Promise<number[][]>;
}
