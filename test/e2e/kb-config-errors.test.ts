/**
 * A KB document that fails because of its bot's config fails once, by name, and gets its fresh try when
 * that config changes — never an endless "HTTP 401" retry every five minutes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FieldCipher } from "../../src/adapters/crypto/field-cipher.js";
import { startEmbeddingDouble, type EmbeddingDouble } from "../harness/embedding-double.js";
import { startQdrantDouble, type QdrantDouble } from "../harness/qdrant-double.js";
import { MASTER_KEY, startStack, type Stack } from "../harness/stack.js";

const API_KEY = "sk-right-key-0123456789";
let stack: Stack;
let qdrant: QdrantDouble;
let embeddings: EmbeddingDouble;

beforeAll(async () => {
  qdrant = await startQdrantDouble();
  embeddings = await startEmbeddingDouble({ dimensions: 64, apiKey: API_KEY });
  // Qdrant holds the vectors, so the job embeds even on a PostgreSQL without pgvector.
  stack = await startStack({ env: { KB_VECTOR_STORE: "qdrant", QDRANT_URL: qdrant.url, QDRANT_API_KEY: qdrant.apiKey, ENCRYPTION_MASTER_KEY: MASTER_KEY } });
});
afterAll(async () => {
  await stack?.close();
  await qdrant?.close();
  await embeddings?.close();
});

const config = (key: string) => `embedding-url,${embeddings.url}\nembedding-model,m1\nembedding-dimensions,64\nembedding-key,${key}\n`;

async function documentState(bot: string, key: string) {
  const body = await (await stack.api(`/api/bots/${bot}/kb`)).json<any>();
  return body.documents.find((d: { key: string }) => d.key === key);
}

describe("a KB document that fails because of its bot's config", () => {
  it("a 401 from the embedding server is permanent until config.csv changes, then the document is indexed", async () => {
    await stack.createBucket("ek.gbai");
    await stack.put("ek.gbai", "ek.gbot/config.csv", config("sk-wrong-key-0123456789"));
    await stack.settle();
    await stack.put("ek.gbai", "ek.gbkb/faq/refunds.md", "# Refunds\nWe refund within 30 days.\n");
    await stack.settle();
    const failed = await documentState("ek", "ek.gbkb/faq/refunds.md");
    expect(failed).toMatchObject({ status: "failed", lastError: expect.stringMatching(/^EMBEDDING_FAILED: .*HTTP 401.*check embedding-key/) });
    const asked = embeddings.requests.length;
    await stack.settle();
    expect(embeddings.requests.length).toBe(asked); // no retry behind the operator's back

    await stack.put("ek.gbai", "ek.gbot/config.csv", config(API_KEY));
    await stack.settle();
    expect(await documentState("ek", "ek.gbkb/faq/refunds.md")).toMatchObject({ status: "synced", lastError: null, chunks: 1 });
  });

  it("a sealed config value that does not open fails the document by name, and is never sent as ciphertext", async () => {
    await stack.createBucket("dk.gbai");
    await stack.put("dk.gbai", "dk.gbot/config.csv", config(API_KEY));
    await stack.settle();
    const [bot] = await stack.db.sql<{ id: string }[]>`select id from bots where name = 'dk'`;
    const foreign = await (await FieldCipher.create("another-master-key-0123456789abcdef")).encrypt(bot!.id, API_KEY);
    await stack.db.sql`update bot_configuration set config_value = ${foreign}, is_encrypted = true where bot_id = ${bot!.id} and config_key = 'embedding-key'`;
    const before = embeddings.requests.length;
    await stack.put("dk.gbai", "dk.gbkb/faq/hours.md", "# Hours\nOpen from nine to five.\n");
    await stack.settle();
    const doc = await documentState("dk", "dk.gbkb/faq/hours.md");
    expect(doc.status).toBe("failed");
    expect(doc.lastError).toMatch(/^CONFIG_DECRYPT_FAILED: config key embedding-key could not be decrypted: /);
    expect(embeddings.requests.length).toBe(before);
    // search still answers, from full text, and says why
    const search = await stack.api("/api/bots/dk/kb/search?q=hours");
    expect(search.status).toBe(200);
    expect(await search.json<any>()).toMatchObject({ mode: "fulltext", note: expect.stringContaining("could not be read") });
  });
});
