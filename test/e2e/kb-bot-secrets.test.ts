/**
 * The embedding key, when config.csv has none, comes from the bot's own `llm` secret in the botserver's
 * order: gbo/orgs/{org}/bots/{bot}/llm, then gbo/bots/default/llm, then gbo/llm.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddingDouble, type EmbeddingDouble } from "../harness/embedding-double.js";
import { startQdrantDouble, type QdrantDouble } from "../harness/qdrant-double.js";
import { startStack, type Stack } from "../harness/stack.js";
import { startVaultDouble, type VaultDouble } from "../harness/vault-double.js";

let vault: VaultDouble;
let qdrant: QdrantDouble;
let embeddings: EmbeddingDouble;
let stack: Stack;

beforeAll(async () => {
  vault = await startVaultDouble();
  qdrant = await startQdrantDouble();
  // Qdrant keeps the vectors, so documents are embedded even on a PostgreSQL without pgvector.
  embeddings = await startEmbeddingDouble({ dimensions: 32 });
  vault.set("gbo/vectordb", { url: qdrant.url, api_key: qdrant.apiKey });
  stack = await startStack({ vault, env: { VAULT_CACHE_TTL: "0", KB_VECTOR_STORE: "qdrant" } });
  await stack.createBucket("sk.gbai");
});
afterAll(async () => {
  await stack?.close();
  await vault?.close();
  await qdrant?.close();
  await embeddings?.close();
});

const config = (extra = "") => `embedding-url,${embeddings.url}\nembedding-model,m1\nembedding-dimensions,32\n${extra}`;

/** Uploads a document and answers the Authorization header its embedding request carried. */
async function keySentFor(name: string): Promise<string | undefined> {
  const before = embeddings.requests.length;
  await stack.put("sk.gbai", `sk.gbkb/faq/${name}.md`, `# ${name}\nSome text about ${name}.\n`);
  await stack.settle();
  const state = await (await stack.api("/api/bots/sk/kb")).json<any>();
  expect(state.documents.find((d: { key: string }) => d.key === `sk.gbkb/faq/${name}.md`)).toMatchObject({ status: "synced" });
  expect(embeddings.requests.length).toBeGreaterThan(before);
  return embeddings.requests.at(-1)!.authorization;
}

describe("the embedding key from the bot's secrets", () => {
  it("falls back from the bot's own path to bots/default to gbo/llm, and config.csv's embedding-key wins over all", async () => {
    vault.set("gbo/llm", { url: "http://llm", model: "m", api_key: "sk-global-0123" });
    await stack.put("sk.gbai", "sk.gbot/config.csv", config());
    await stack.settle();
    expect(await keySentFor("global")).toBe("Bearer sk-global-0123");

    vault.set("gbo/bots/default/llm", { embedding_key: "sk-default-0123" });
    expect(await keySentFor("default")).toBe("Bearer sk-default-0123");

    const [bot] = await stack.db.sql<{ id: string }[]>`select id from bots where name = 'sk'`;
    const org = "7f3c2a10-0000-4000-8000-000000000001";
    await stack.db.sql`update bots set org_id = ${org} where id = ${bot!.id}`;
    vault.set(`gbo/orgs/${org}/bots/${bot!.id}/llm`, { openai_key: "sk-own-0123" });
    expect(await keySentFor("own")).toBe("Bearer sk-own-0123");
    expect(vault.reads).toContain(`gbo/orgs/${org}/bots/${bot!.id}/llm`);

    await stack.put("sk.gbai", "sk.gbot/config.csv", config("embedding-key,sk-config-0123\n"));
    await stack.settle();
    expect(await keySentFor("config")).toBe("Bearer sk-config-0123");
  });
});
