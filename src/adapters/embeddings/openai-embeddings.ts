import { BotsyncError } from "../../core/errors.js";
import type { Embedder, EmbeddingConfig } from "../../core/ports/embedder.js";

const RETRY_DELAYS_MS = [500, 1_000, 2_000];
const MAX_RESPONSE_BYTES = 50 * 1024 * 1024;

/**
 * OpenAI-compatible embeddings: `POST {url}` with `{"input": [...], "model": …}` and `Authorization: Bearer
 * {embedding-key}`, answered by `{"data": [{"embedding": [...], "index": n}]}`. Batched by
 * `embedding-batch-size`; a failed batch is retried with backoff and, if it keeps failing, fails the whole
 * document (the botserver skips the batch and indexes a document with holes in it).
 */
export class OpenAiEmbeddings implements Embedder {
  constructor(
    private readonly fetcher: typeof fetch = fetch,
    private readonly delays: readonly number[] = RETRY_DELAYS_MS,
  ) {}

  async embed(config: EmbeddingConfig, texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += config.batchSize) {
      vectors.push(...(await this.batch(config, texts.slice(i, i + config.batchSize))));
    }
    return vectors;
  }

  private async batch(config: EmbeddingConfig, input: string[]): Promise<number[][]> {
    let lastError = "";
    let permanent = false;
    for (let attempt = 0; attempt <= this.delays.length; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, this.delays[attempt - 1]));
      try {
        const res = await this.fetcher(config.url, {
          method: "POST",
          headers: { "content-type": "application/json", ...(config.key ? { authorization: `Bearer ${config.key}` } : {}) },
          body: JSON.stringify({ input, model: config.model }),
          signal: AbortSignal.timeout(config.timeoutMs),
        });
        const text = await res.text();
        if (text.length > MAX_RESPONSE_BYTES) throw new Error("response larger than 50 MB");
        if (!res.ok) {
          lastError = `HTTP ${res.status}: ${text.slice(0, 200)}`;
          // 4xx other than 408/429 will not get better by asking again — nor by the job's backoff: a wrong or
          // missing embedding-key (401/403) fails the document until config.csv or the document changes.
          if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
            permanent = true;
            if (res.status === 401 || res.status === 403) lastError += " (check embedding-key in config.csv, or the bot's llm secret)";
            break;
          }
          continue;
        }
        return parseVectors(JSON.parse(text), input.length, config.dimensions);
      } catch (error) {
        if (error instanceof BotsyncError) throw error;
        lastError = error instanceof Error ? error.message : String(error);
      }
    }
    throw new BotsyncError("EMBEDDING_FAILED", `embedding endpoint ${new URL(config.url).host} failed: ${lastError}`, { retryable: !permanent });
  }
}

function parseVectors(body: unknown, expected: number, dimensions: number): number[][] {
  const data = (body as { data?: Array<{ embedding?: unknown; index?: number }> } | null)?.data;
  const vectors = Array.isArray(data)
    ? [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => d.embedding)
    : Array.isArray((body as { embeddings?: unknown })?.embeddings)
      ? (body as { embeddings: unknown[] }).embeddings
      : Array.isArray(body)
        ? body
        : null;
  if (!vectors || vectors.length !== expected) {
    throw new BotsyncError("EMBEDDING_FAILED", `embedding response has ${vectors?.length ?? "no"} vectors for ${expected} inputs`, { retryable: true });
  }
  return vectors.map((v) => {
    if (!Array.isArray(v) || !v.every((x) => typeof x === "number" && Number.isFinite(x))) {
      throw new BotsyncError("EMBEDDING_FAILED", "embedding response holds a vector that is not a list of numbers", { retryable: true });
    }
    if (v.length !== dimensions) {
      throw new BotsyncError("EMBEDDING_FAILED", `the model returned ${v.length}-dimensional vectors but embedding-dimensions is ${dimensions}; fix config.csv`);
    }
    return v as number[];
  });
}
