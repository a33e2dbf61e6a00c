/**
 * The OpenAI-compatible embedding client against an in-process fetch that answers like such a server:
 * batching, the retries with their backoff (on a clock that records the waits instead of sleeping), what
 * is permanent and what the job's own backoff retries.
 */
import { describe, expect, it } from "vitest";
import { OpenAiEmbeddings } from "../../src/adapters/embeddings/openai-embeddings.js";
import type { EmbeddingConfig } from "../../src/core/ports/embedder.js";

const CONFIG: EmbeddingConfig = { url: "http://embed.test/v1/embeddings", model: "m", key: "sk-test", dimensions: 2, batchSize: 2, timeoutMs: 1_000 };

type Answer = Response | Error;

/** A fetch that answers each request with the next answer (the last one repeats) and keeps the requests. */
function server(...answers: Array<(input: string[]) => Answer>) {
  const requests: Array<{ input: string[]; model: string; authorization: string | null }> = [];
  const fetch = async (_url: string | URL | Request, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { input: string[]; model: string };
    requests.push({ ...body, authorization: new Headers(init?.headers).get("authorization") });
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)]!(body.input);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

const vectors = (input: string[]) => Response.json({ data: input.map((text, index) => ({ index, embedding: [text.length, index] })).reverse() });
const status = (code: number, text = "no") => () => new Response(text, { status: code });

function client(fetch: typeof globalThis.fetch) {
  const waits: number[] = [];
  return { embeddings: new OpenAiEmbeddings({ fetch, clock: { sleep: async (ms) => void waits.push(ms) } }), waits };
}

describe("OpenAiEmbeddings", () => {
  it("sends batches of embedding-batch-size with the key and puts the vectors back in order", async () => {
    const s = server(vectors);
    const { embeddings } = client(s.fetch);
    expect(await embeddings.embed(CONFIG, ["a", "bb", "ccc"])).toEqual([
      [1, 0],
      [2, 1],
      [3, 0],
    ]);
    expect(s.requests).toEqual([
      { input: ["a", "bb"], model: "m", authorization: "Bearer sk-test" },
      { input: ["ccc"], model: "m", authorization: "Bearer sk-test" },
    ]);
  });

  it("asks again after 0.5 s, 1 s and 2 s, and then fails retryably with the last answer", async () => {
    const s = server(status(503, "overloaded"));
    const { embeddings, waits } = client(s.fetch);
    await expect(embeddings.embed(CONFIG, ["a"])).rejects.toMatchObject({
      code: "EMBEDDING_FAILED",
      retryable: true,
      message: "embedding endpoint embed.test failed: HTTP 503: overloaded",
    });
    expect(s.requests).toHaveLength(4);
    expect(waits).toEqual([500, 1_000, 2_000]);
  });

  it("recovers when a retry succeeds: a network failure, a 429, then vectors", async () => {
    const s = server(() => new TypeError("fetch failed"), status(429), vectors);
    const { embeddings, waits } = client(s.fetch);
    expect(await embeddings.embed(CONFIG, ["a"])).toEqual([[1, 0]]);
    expect(waits).toEqual([500, 1_000]);
  });

  it("does not ask again after a 401: the key is wrong until config.csv changes, so the failure is permanent", async () => {
    const s = server(status(401, "invalid api key"));
    const { embeddings, waits } = client(s.fetch);
    await expect(embeddings.embed(CONFIG, ["a"])).rejects.toMatchObject({
      code: "EMBEDDING_FAILED",
      retryable: false,
      message: "embedding endpoint embed.test failed: HTTP 401: invalid api key (check embedding-key in config.csv, or the bot's llm secret)",
    });
    expect(s.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("leaves an answer that is not vectors to the job's backoff, and names a dimension mismatch as permanent", async () => {
    const short = server(() => Response.json({ data: [] }));
    await expect(client(short.fetch).embeddings.embed(CONFIG, ["a"])).rejects.toMatchObject({ code: "EMBEDDING_FAILED", retryable: true });
    expect(short.requests).toHaveLength(1);
    const wide = server(() => Response.json({ data: [{ index: 0, embedding: [1, 2, 3] }] }));
    await expect(client(wide.fetch).embeddings.embed(CONFIG, ["a"])).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining("3-dimensional vectors but embedding-dimensions is 2"),
    });
  });

  it("retries a body that is not JSON", async () => {
    const s = server(() => new Response("<html>", { status: 200 }), vectors);
    const { embeddings, waits } = client(s.fetch);
    expect(await embeddings.embed(CONFIG, ["a"])).toEqual([[1, 0]]);
    expect(waits).toEqual([500]);
  });
});
