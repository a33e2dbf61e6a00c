import { BotsyncError } from "../../core/errors.js";
import type { Embedder, EmbeddingConfig } from "../../core/ports/embedder.js";
import { systemClock, type Clock } from "../../core/time/clock.js";
import { backoffDelays, retrying } from "../../core/time/retry.js";

/** A failed batch is asked again after 0.5 s, 1 s and 2 s. */
const RETRY_DELAYS_MS = backoffDelays({ firstMs: 500, maxMs: 2_000 }, 3);
const MAX_RESPONSE_BYTES = 50 * 1024 * 1024;

/** One attempt's failure: its text, and whether asking again could help. */
class AttemptFailed extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

export interface OpenAiEmbeddingsOptions {
  fetch?: typeof fetch;
  /** the waits between attempts at one batch (default 0.5 s, 1 s, 2 s) */
  delays?: readonly number[];
  clock?: Pick<Clock, "sleep">;
}

/**
 * OpenAI-compatible embeddings: `POST {url}` with `{"input": [...], "model": …}` and `Authorization: Bearer
 * {embedding-key}`, answered by `{"data": [{"embedding": [...], "index": n}]}`. Batched by
 * `embedding-batch-size`; a failed batch is retried with backoff and, if it keeps failing, fails the whole
 * document (the botserver skips the batch and indexes a document with holes in it).
 */
export class OpenAiEmbeddings implements Embedder {
  constructor(private readonly options: OpenAiEmbeddingsOptions = {}) {}

  async embed(config: EmbeddingConfig, texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += config.batchSize) {
      vectors.push(...(await this.batch(config, texts.slice(i, i + config.batchSize))));
    }
    return vectors;
  }

  private async batch(config: EmbeddingConfig, input: string[]): Promise<number[][]> {
    try {
      return await retrying(() => this.attempt(config, input), {
        delays: this.options.delays ?? RETRY_DELAYS_MS,
        clock: this.options.clock ?? systemClock,
        // An answer that is not vectors (a BotsyncError) goes to the job's own backoff, not asked again here.
        retryable: (error) => error instanceof AttemptFailed && !error.permanent,
      });
    } catch (error) {
      if (!(error instanceof AttemptFailed)) throw error;
      throw new BotsyncError("EMBEDDING_FAILED", `embedding endpoint ${new URL(config.url).host} failed: ${error.message}`, { retryable: !error.permanent });
    }
  }

  private async attempt(config: EmbeddingConfig, input: string[]): Promise<number[][]> {
    let res: Response;
    let text: string;
    try {
      res = await (this.options.fetch ?? fetch)(config.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(config.key ? { authorization: `Bearer ${config.key}` } : {}) },
        body: JSON.stringify({ input, model: config.model }),
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      text = await res.text();
    } catch (error) {
      throw new AttemptFailed(error instanceof Error ? error.message : String(error));
    }
    if (text.length > MAX_RESPONSE_BYTES) throw new AttemptFailed("response larger than 50 MB");
    if (!res.ok) {
      const failure = `HTTP ${res.status}: ${text.slice(0, 200)}`;
      // 4xx other than 408/429 will not get better by asking again — nor by the job's backoff: a wrong or
      // missing embedding-key (401/403) fails the document until config.csv or the document changes.
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
        const hint = res.status === 401 || res.status === 403 ? " (check embedding-key in config.csv, or the bot's llm secret)" : "";
        throw new AttemptFailed(failure + hint, true);
      }
      throw new AttemptFailed(failure);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new AttemptFailed((error as Error).message);
    }
    return parseVectors(body, input.length, config.dimensions);
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
