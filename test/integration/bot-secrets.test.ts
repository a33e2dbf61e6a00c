import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { environmentBotSecrets, vaultBotSecrets } from "../../src/adapters/secrets/bot-secrets.js";
import { VaultStore } from "../../src/adapters/secrets/vault-store.js";
import { startVaultDouble, type VaultDouble } from "../harness/vault-double.js";

let vault: VaultDouble;
let store: VaultStore;
const ORG = "00000000-0000-0000-0000-000000000001";
const BOT = "5a2c15be-bfc2-43b0-9b47-28bb268a0596";

beforeAll(async () => {
  vault = await startVaultDouble();
  store = new VaultStore({ address: vault.address, token: vault.token, mount: "secret", ttlMs: 0, skipVerify: false });
});
afterAll(async () => {
  await vault?.close();
});

describe("per-bot secrets through the Vault KV v2 API", () => {
  it("org/bot path first, then gbo/bots/default, then gbo/{name}; the first found wins whole", async () => {
    const secrets = vaultBotSecrets(store);
    expect(await secrets.resolve({ id: BOT, orgId: ORG }, "llm")).toBeNull();
    vault.set("gbo/llm", { url: "http://global", model: "gpt-4" });
    expect(await secrets.resolve({ id: BOT, orgId: ORG }, "llm")).toEqual({ values: { url: "http://global", model: "gpt-4" }, from: "vault:gbo/llm" });
    vault.set("gbo/bots/default/llm", { url: "http://default" });
    expect(await secrets.resolve({ id: BOT, orgId: ORG }, "llm")).toEqual({ values: { url: "http://default" }, from: "vault:gbo/bots/default/llm" });
    vault.set(`gbo/orgs/${ORG}/bots/${BOT}/llm`, { url: "http://mine", openai_key: "sk-mine" });
    expect(await secrets.resolve({ id: BOT, orgId: ORG }, "llm")).toEqual({
      values: { url: "http://mine", openai_key: "sk-mine" },
      from: `vault:gbo/orgs/${ORG}/bots/${BOT}/llm`,
    });
    // a bot without an org skips the first step
    expect((await secrets.resolve({ id: BOT, orgId: null }, "llm"))?.from).toBe("vault:gbo/bots/default/llm");
  });

  it("refuses path segments that could escape the bot's path", async () => {
    const secrets = vaultBotSecrets(store);
    await expect(secrets.resolve({ id: "../../gbo", orgId: ORG }, "llm")).rejects.toThrow(/unsafe secret path segment/);
    await expect(secrets.resolve({ id: BOT, orgId: ORG }, "llm/../tables")).rejects.toThrow(/unsafe/);
  });

  it("falls back to NAME_KEY environment variables in development", async () => {
    const secrets = environmentBotSecrets({ LLM_URL: "http://env", LLM_OPENAI_KEY: "sk-env", OTHER: "x" });
    expect(await secrets.resolve({ id: BOT, orgId: null }, "llm")).toEqual({ values: { url: "http://env", openai_key: "sk-env" }, from: "environment" });
    expect(await secrets.resolve({ id: BOT, orgId: null }, "email")).toBeNull();
  });
});
