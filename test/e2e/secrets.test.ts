/**
 * Secrets end to end: a service whose environment holds only VAULT_* variables, sensitive config values
 * sealed at rest and masked in the API, secret rotation without a restart, Vault failures at start-up and
 * at run time, master-key rotation, and a scan of every log line for every secret.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FieldCipher } from "../../src/adapters/crypto/field-cipher.js";
import { rotateMasterKey } from "../../src/adapters/db/rotate-master-key.js";
import { resolveSecrets } from "../../src/adapters/settings/resolve-secrets.js";
import { parseSettings } from "../../src/core/settings/settings.js";
import { startStack, API_TOKEN, DB_PASSWORD, MASTER_KEY, WEBHOOK_TOKEN, type Stack } from "../harness/stack.js";
import { startVaultDouble, type VaultDouble } from "../harness/vault-double.js";
import { ManualClock } from "../harness/manual-clock.js";

const SECRET_VALUES = ["sk-live-whatsapp-9f8e7d6c", "p,w-with-comma", "xoxb-bot-token-123456"];
const CONFIG = [
  "name,value",
  "Bot Name,Vault Bot",
  `whatsapp-api-key,${SECRET_VALUES[0]}`,
  `smtp-password,"${SECRET_VALUES[1]}"`,
  `whatsapp-verify-token,${SECRET_VALUES[2]}`,
  "oauth-google-enabled,true",
  "llm-max-tokens,4096",
].join("\n");

let vault: VaultDouble;
let stack: Stack;
const logs: string[] = [];
/** Vault's cache TTL (VAULT_CACHE_TTL) runs on this clock: a test moves it past the TTL instead of waiting. */
const clock = new ManualClock();
const CACHE_TTL_MS = 60_000;
const cacheExpires = () => clock.advance(CACHE_TTL_MS + 1);

beforeAll(async () => {
  vault = await startVaultDouble();
  stack = await startStack({ vault, clock, env: { VAULT_CACHE_TTL: String(CACHE_TTL_MS / 1000) }, onLog: (line) => logs.push(line) });
  await stack.createBucket("vault.gbai");
  await stack.put("vault.gbai", "vault.gbot/config.csv", CONFIG);
  await stack.settle();
});
afterAll(async () => {
  await stack?.close();
  await vault?.close();
});

type Row = { config_key: string; config_value: string; is_encrypted: boolean; updated_at: Date; bot_id: string };
async function rows(): Promise<Record<string, Row>> {
  const list = await stack.db.sql<Row[]>`
    select c.config_key, c.config_value, c.is_encrypted, c.updated_at, c.bot_id
    from bot_configuration c join bots b on b.id = c.bot_id where b.name = 'vault'`;
  return Object.fromEntries(list.map((r) => [r.config_key, r]));
}

describe("a service configured only through VAULT_* variables", () => {
  it("reads the database, drive, tokens and master key from Vault and syncs a bot", async () => {
    expect(Object.keys(await rows()).sort()).toEqual(
      ["Bot Name", "llm-max-tokens", "oauth-google-enabled", "smtp-password", "whatsapp-api-key", "whatsapp-verify-token"].sort(),
    );
    expect(vault.reads).toEqual(expect.arrayContaining(["gbo/tables", "gbo/drive", "gbo/botsync", "gbo/encryption"]));
    const health = await (await fetch(`${stack.service.url}/health`)).json<any>();
    expect(health.checks.secrets).toEqual({ ok: true, source: "vault" });
  });

  it("seals sensitive values in the botserver's format and leaves the others plain", async () => {
    const r = await rows();
    const cipher = await FieldCipher.create(MASTER_KEY);
    for (const [key, plain] of [["whatsapp-api-key", SECRET_VALUES[0]], ["smtp-password", SECRET_VALUES[1]], ["whatsapp-verify-token", SECRET_VALUES[2]]] as const) {
      expect(r[key]!.is_encrypted, key).toBe(true);
      expect(r[key]!.config_value).toMatch(/^1:[A-Za-z0-9+/]+={0,2}:[A-Za-z0-9+/]+={0,2}$/);
      expect(await cipher.decrypt(r[key]!.bot_id, r[key]!.config_value)).toBe(plain);
    }
    for (const key of ["Bot Name", "oauth-google-enabled", "llm-max-tokens"]) expect(r[key]!.is_encrypted, key).toBe(false);
    expect(r["oauth-google-enabled"]!.config_value).toBe("true");
  });

  it("masks secrets in the API", async () => {
    const body = await (await stack.api("/api/bots/vault/config")).json<any>();
    const shown = Object.fromEntries(body.config.map((c: any) => [c.key, [c.value, c.masked, c.isEncrypted]]));
    expect(shown).toEqual({
      "Bot Name": ["Vault Bot", false, false],
      "llm-max-tokens": ["4096", false, false],
      "oauth-google-enabled": ["true", false, false],
      "smtp-password": ["********", true, true],
      "whatsapp-api-key": ["********", true, true],
      "whatsapp-verify-token": ["********", true, true],
    });
    expect(JSON.stringify(body)).not.toMatch(/sk-live|p,w-with|xoxb/);
  });

  it("an unchanged secret is not rewritten on the next sync; a changed one is", async () => {
    const before = await rows();
    await stack.put("vault.gbai", "vault.gbot/config.csv", CONFIG.replace("Vault Bot", "Vault Bot 2"));
    await stack.settle();
    const after = await rows();
    expect(after["whatsapp-api-key"]!.config_value).toBe(before["whatsapp-api-key"]!.config_value);
    expect(after["whatsapp-api-key"]!.updated_at).toEqual(before["whatsapp-api-key"]!.updated_at);
    await stack.put("vault.gbai", "vault.gbot/config.csv", CONFIG.replace(SECRET_VALUES[0]!, "sk-live-rotated-0000"));
    await stack.settle();
    const changed = await rows();
    expect(changed["whatsapp-api-key"]!.updated_at.getTime()).toBeGreaterThan(after["whatsapp-api-key"]!.updated_at.getTime());
    const cipher = await FieldCipher.create(MASTER_KEY);
    expect(await cipher.decrypt(changed["whatsapp-api-key"]!.bot_id, changed["whatsapp-api-key"]!.config_value)).toBe("sk-live-rotated-0000");
  });

  it("picks up a rotated API token after the cache TTL, without a restart", async () => {
    expect((await stack.api("/api/bots")).status).toBe(200);
    vault.set("gbo/botsync", { webhook_token: WEBHOOK_TOKEN, api_token: "rotated-api-token-abcdef0123456789" });
    try {
      // within the TTL the cached token still holds
      expect((await stack.api("/api/bots")).status).toBe(200);
      cacheExpires();
      expect((await stack.api("/api/bots")).status).toBe(401);
      const rotated = await fetch(`${stack.service.url}/api/bots`, { headers: { authorization: "Bearer rotated-api-token-abcdef0123456789" } });
      expect(rotated.status).toBe(200);
    } finally {
      vault.set("gbo/botsync", { webhook_token: WEBHOOK_TOKEN, api_token: API_TOKEN });
      cacheExpires();
    }
  });

  it("reports a sealed Vault in /health, answers 503 once cached secrets expire, and recovers when unsealed", async () => {
    expect((await stack.api("/api/bots")).status).toBe(200);
    vault.seal();
    try {
      const health = await fetch(`${stack.service.url}/health`);
      expect(health.status).toBe(503);
      expect((await health.json<any>()).checks.secrets).toMatchObject({ ok: false, source: "vault", detail: expect.stringMatching(/sealed/) });
      // cached secrets keep the webhook answering while Vault is briefly sealed …
      expect((await stack.postWebhook({ Records: [] })).status).toBe(400);
      // … until they expire
      cacheExpires();
      const webhook = await stack.postWebhook({ Records: [] });
      expect(webhook.status).toBe(503);
      expect((await webhook.json<any>()).error).toMatchObject({ code: "SECRETS_UNAVAILABLE", message: expect.stringMatching(/sealed/) });
    } finally {
      vault.unseal();
    }
    expect((await fetch(`${stack.service.url}/health`)).status).toBe(200);
    expect((await stack.api("/api/bots")).status).toBe(200);
  });

  it("rotates the master key with one command-level call, and refuses when a value opens under neither key", async () => {
    const NEW_KEY = "new-master-key-fedcba9876543210fedcba";
    const from = await FieldCipher.create(MASTER_KEY);
    const to = await FieldCipher.create(NEW_KEY);
    const report = await rotateMasterKey(stack.db.sql, from, to);
    expect(report).toEqual({ rotated: 3, alreadyCurrent: 0 });
    const r = await rows();
    expect(await to.decrypt(r["smtp-password"]!.bot_id, r["smtp-password"]!.config_value)).toBe(SECRET_VALUES[1]);
    // running it again finds everything current
    expect(await rotateMasterKey(stack.db.sql, from, to)).toEqual({ rotated: 0, alreadyCurrent: 3 });
    // a value under a third key: nothing changes
    const stray = await FieldCipher.create("third-master-key-000000000000000000");
    await stack.db.sql`update bot_configuration set config_value = ${await stray.encrypt(r["smtp-password"]!.bot_id, "x")}
      where config_key = 'smtp-password' and bot_id = ${r["smtp-password"]!.bot_id}`;
    const snapshot = JSON.stringify(await rows());
    await expect(rotateMasterKey(stack.db.sql, to, from)).rejects.toMatchObject({
      code: "CONFIG_DECRYPT_FAILED",
      message: expect.stringContaining("vault/smtp-password"),
    });
    expect(JSON.stringify(await rows())).toBe(snapshot);
    // the service follows Vault to the new key
    vault.set("gbo/encryption", { master_key: NEW_KEY });
    cacheExpires();
    // a changed file (the same bytes would be a no-op) is applied with the key Vault holds now
    await stack.put("vault.gbai", "vault.gbot/config.csv", CONFIG.replace("Vault Bot", "Vault Bot resealed"));
    await stack.settle();
    const resealed = await rows();
    expect(await to.decrypt(resealed["smtp-password"]!.bot_id, resealed["smtp-password"]!.config_value)).toBe(SECRET_VALUES[1]);
  });

  it("never writes a secret to the logs", async () => {
    // what logs the most: secrets applied, tokens refused, Vault failing
    await stack.put("vault.gbai", "vault.gbot/config.csv", CONFIG.replace(SECRET_VALUES[0]!, "sk-live-logged-0000"));
    await stack.settle();
    await stack.postWebhook({ Records: [] }, "wrong-token-0000000000000");
    await stack.api("/api/bots", { headers: { authorization: "Bearer wrong-api-token-00000000" } });
    vault.seal();
    try {
      cacheExpires();
      expect((await stack.postWebhook({ Records: [] })).status).toBe(503);
    } finally {
      vault.unseal();
    }
    const all = logs.join("\n");
    expect(logs.length).toBeGreaterThan(5);
    for (const secret of [WEBHOOK_TOKEN, API_TOKEN, DB_PASSWORD, MASTER_KEY, vault.token, "S3RVER", ...SECRET_VALUES, "sk-live-rotated-0000", "sk-live-logged-0000"]) {
      expect(all.includes(secret), `log contains ${secret.slice(0, 6)}…`).toBe(false);
    }
  });
});

describe("start-up says exactly what is wrong with Vault", () => {
  const start = (v: VaultDouble, token = v.token) => resolveSecrets(parseSettings({ VAULT_ADDR: v.address, VAULT_TOKEN: token }));

  it("sealed", async () => {
    const v = await startVaultDouble();
    v.seal();
    await expect(start(v)).rejects.toMatchObject({ code: "SECRETS_UNAVAILABLE", message: `cannot start: Vault at ${v.address} is sealed` });
    await v.close();
  });

  it("unreachable", async () => {
    const v = await startVaultDouble();
    await v.close();
    await expect(start(v)).rejects.toMatchObject({ code: "SECRETS_UNAVAILABLE", message: expect.stringMatching(/is unreachable \(ECONNREFUSED\)/) });
  });

  it("token rejected (expired or revoked)", async () => {
    const v = await startVaultDouble();
    v.revokeToken();
    await expect(start(v)).rejects.toMatchObject({ message: expect.stringMatching(/rejected the token reading secret\/data\/gbo\/tables \(403 permission denied\)/) });
    await expect(start(v)).rejects.not.toMatchObject({ message: expect.stringContaining(v.token) });
    await v.close();
  });

  it("a missing secret or key is named", async () => {
    const v = await startVaultDouble();
    v.set("gbo/tables", { host: "h", port: "5432", database: "d", username: "u" });
    v.set("gbo/drive", { host: "h", port: "9000", accesskey: "a", secret: "s" });
    await expect(start(v)).rejects.toMatchObject({ code: "SETTINGS_INVALID", message: expect.stringMatching(/secret\/data\/gbo\/tables lacks password|no secret at secret\/data\/gbo\/botsync/) });
    v.set("gbo/tables", { host: "h", port: "5432", database: "d", username: "u", password: "p" });
    await expect(start(v)).rejects.toMatchObject({ message: "Vault has no secret at secret/data/gbo/botsync" });
    await v.close();
  });

  it("without Vault the environment is a development fallback with a warning, never a default password", async () => {
    const resolved = await resolveSecrets(parseSettings({ DATABASE_URL: "postgres://u@h/d", S3_ENDPOINT: "http://h:9000", S3_ACCESS_KEY: "a", S3_SECRET_KEY: "s" }));
    expect(resolved.warnings[0]).toMatch(/development fallback/);
    await expect(resolved.secrets.tokens()).rejects.toMatchObject({ code: "SETTINGS_INVALID", message: expect.stringMatching(/WEBHOOK_TOKEN is required; API_TOKEN is required/) });
    expect(await resolved.secrets.masterKey()).toBeNull();
  });
});
