/**
 * searchKb against in-memory ports: vector search when the bot has an embedding endpoint and the index
 * keeps vectors, full text otherwise — and the note that says why a bot that asked for vectors got full
 * text (no pgvector, the embedding server down, a config value that does not open).
 */
import { describe, expect, it } from "vitest";
import { BotsyncError } from "../errors.js";
import type { BotSecrets } from "../ports/bot-secrets.js";
import type { KbSearchQuery, SearchHit } from "../ports/chunk-index.js";
import type { EmbeddingConfig } from "../ports/embedder.js";
import { NO_PGVECTOR_NOTE, searchKb, type KbSearchDeps } from "./search-kb.js";

const QUERY = { botId: "id-demo", bot: "demo", text: "refund", kb: "faq", limit: 5 };
const HIT: SearchHit = { kb: "faq", documentPath: "demo.gbai/demo.gbkb/faq/a.md", chunkIndex: 0, text: "We refund…", start: 0, end: 10, score: 0.9 };
const EMBEDDING = { "embedding-url": "http://embed.test/v1/embeddings", "embedding-model": "mini", "embedding-dimensions": "3" };

function searchDeps(options: { config?: () => Promise<Record<string, string>>; hasVectors?: boolean; embed?: () => Promise<number[][]>; secrets?: BotSecrets } = {}) {
  const searched: KbSearchQuery[] = [];
  const embedded: Array<{ config: EmbeddingConfig; texts: string[] }> = [];
  const deps: KbSearchDeps = {
    config: { read: options.config ?? (async () => ({})), orgOf: async () => "org-1" },
    index: {
      hasVectors: async () => options.hasVectors ?? true,
      search: async (query) => (searched.push(query), [HIT]),
      prepareDocument: async () => {
        throw new Error("search does not index");
      },
      prepareRemove: async () => {
        throw new Error("search does not index");
      },
    },
    embedder: { embed: async (config, texts) => (embedded.push({ config, texts }), (options.embed ?? (async () => [[0.1, 0.2, 0.3]]))()) },
    secrets: options.secrets,
  };
  return { deps, searched, embedded };
}

describe("searchKb", () => {
  it("searches full text in the bot's language when it has no embedding endpoint, with no note", async () => {
    const { deps, searched, embedded } = searchDeps({ config: async () => ({ "kb-language": "Spanish" }) });
    expect(await searchKb(deps, QUERY)).toEqual({ mode: "fulltext", hits: [HIT] });
    expect(searched).toEqual([{ ...QUERY, language: "spanish", vector: null, space: null }]);
    expect(embedded).toEqual([]);
  });

  it("searches by the query's vector in the model's space when the bot has an endpoint", async () => {
    const { deps, searched, embedded } = searchDeps({ config: async () => EMBEDDING });
    expect(await searchKb(deps, QUERY)).toEqual({ mode: "vector", hits: [HIT] });
    expect(embedded).toEqual([{ config: expect.objectContaining({ url: EMBEDDING["embedding-url"], model: "mini", dimensions: 3 }), texts: ["refund"] }]);
    expect(searched).toEqual([{ ...QUERY, language: "english", vector: [0.1, 0.2, 0.3], space: "mini@3" }]);
  });

  it("takes the embedding key from the bot's llm secret when config.csv has none", async () => {
    const asked: Array<[{ id: string; orgId: string | null }, string]> = [];
    const secrets: BotSecrets = { resolve: async (bot, name) => (asked.push([bot, name]), { values: { api_key: "sk-from-vault" }, from: "vault:gbo/llm" }) };
    const { deps, embedded } = searchDeps({ config: async () => EMBEDDING, secrets });
    await searchKb(deps, QUERY);
    expect(asked).toEqual([[{ id: "id-demo", orgId: "org-1" }, "llm"]]);
    expect(embedded[0]!.config.key).toBe("sk-from-vault");
  });

  it("falls back to full text with a note when the database has no pgvector, without asking the embedding server", async () => {
    const { deps, searched, embedded } = searchDeps({ config: async () => EMBEDDING, hasVectors: false });
    expect(await searchKb(deps, QUERY)).toEqual({ mode: "fulltext", hits: [HIT], note: NO_PGVECTOR_NOTE });
    expect(embedded).toEqual([]);
    expect(searched[0]).toMatchObject({ vector: null, space: "mini@3" });
  });

  it("falls back to full text with a note when the embedding server fails, and passes on any other error", async () => {
    const down = searchDeps({
      config: async () => EMBEDDING,
      embed: async () => {
        throw new BotsyncError("EMBEDDING_FAILED", "embedding endpoint embed.test failed: HTTP 503: busy", { retryable: true });
      },
    });
    expect(await searchKb(down.deps, QUERY)).toEqual({
      mode: "fulltext",
      hits: [HIT],
      note: "the embedding server failed (embedding endpoint embed.test failed: HTTP 503: busy), so these results come from full-text search",
    });
    const broken = searchDeps({
      config: async () => EMBEDDING,
      embed: async () => {
        throw new Error("a bug");
      },
    });
    await expect(searchKb(broken.deps, QUERY)).rejects.toThrow("a bug");
    expect(broken.searched).toEqual([]);
  });

  it("answers from full text in the default language when a config value does not open, and passes on a database failure", async () => {
    const sealed = searchDeps({
      config: async () => {
        throw new BotsyncError("CONFIG_DECRYPT_FAILED", "config key embedding-key could not be decrypted: wrong master key");
      },
    });
    const result = await searchKb(sealed.deps, QUERY);
    expect(result).toEqual({
      mode: "fulltext",
      hits: [HIT],
      note: "the bot's config could not be read (config key embedding-key could not be decrypted: wrong master key), so these results come from full-text search with the default language",
    });
    expect(sealed.searched[0]).toMatchObject({ language: "english", vector: null });
    const down = searchDeps({
      config: async () => {
        throw new BotsyncError("DATABASE_UNAVAILABLE", "connect ECONNREFUSED", { retryable: true });
      },
    });
    await expect(searchKb(down.deps, QUERY)).rejects.toMatchObject({ code: "DATABASE_UNAVAILABLE" });
  });
});
