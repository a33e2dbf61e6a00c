/**
 * `npm start` in a directory whose .env holds only VAULT_* variables: everything else — database, drive,
 * tokens, master key — comes from Vault, and a config.csv upload ends up sealed in bot_configuration.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedS3, type EmbeddedS3 } from "../../src/adapters/embedded/s3-server.js";
import { createMinioNotifier } from "../../src/adapters/embedded/minio-notifier.js";
import { createTestDatabase, type TestDatabase } from "../harness/test-database.js";
import { startVaultDouble, type VaultDouble } from "../harness/vault-double.js";
import { eventually } from "../harness/eventually.js";

const root = join(import.meta.dirname, "..", "..");
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe("a .env with only VAULT_* variables", () => {
  it("starts the service and syncs a config end to end", { timeout: 60_000 }, async () => {
    const vault: VaultDouble = await startVaultDouble();
    cleanups.push(() => vault.close());
    const db: TestDatabase = await createTestDatabase({ migrate: false });
    cleanups.push(() => db.drop());
    const dir = await mkdtemp(join(tmpdir(), "botsync-vault-env-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const notify = { current: null as ReturnType<typeof createMinioNotifier> | null };
    const s3: EmbeddedS3 = await startEmbeddedS3({ directory: join(dir, "s3"), port: 0, onEvent: (e) => void notify.current?.notify(e) });
    cleanups.push(() => s3.close());

    const dbUrl = new URL(db.url);
    const s3Url = new URL(s3.endpoint);
    vault.set("gbo/tables", { host: dbUrl.hostname, port: dbUrl.port, database: db.name, username: dbUrl.username, password: "unused-with-trust" });
    vault.set("gbo/drive", { host: s3Url.hostname, port: s3Url.port, accesskey: s3.accessKeyId, secret: s3.secretAccessKey });
    vault.set("gbo/botsync", { webhook_token: "vault-webhook-token-0123456789", api_token: "vault-api-token-0123456789ab" });
    vault.set("gbo/encryption", { master_key: "vault-master-key-0123456789abcdef0123" });
    await writeFile(join(dir, ".env"), `VAULT_ADDR=${vault.address}\nVAULT_TOKEN=${vault.token}\nVAULT_CACHE_TTL=300\n`);

    // Only what the machine gives any process: PATH and friends; PORT=0 so parallel runs do not collide.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: "0", DATA_DIR: join(dir, "data") };
    const child: ChildProcess = spawn(process.execPath, ["--import", pathToFileURL(join(root, "node_modules/tsx/dist/esm/index.mjs")).href, join(root, "functions/node.ts")], {
      cwd: dir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    cleanups.push(() => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.once("exit", resolve), child.kill("SIGTERM")))));
    let output = "";
    child.stderr!.on("data", (d) => (output += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on("data", (d) => {
        output += d;
        const match = /botsync listening on (http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.once("exit", (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
    expect(output).toContain("<token from vault>");
    expect(output).not.toContain("vault-api-token");

    notify.current = createMinioNotifier({ endpoint: `${url}/webhooks/minio`, authToken: "vault-webhook-token-0123456789" });
    const client = new S3Client({ endpoint: s3.endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
    cleanups.push(() => client.destroy());
    await client.send(new CreateBucketCommand({ Bucket: "envbot.gbai" }));
    await client.send(new PutObjectCommand({ Bucket: "envbot.gbai", Key: "envbot.gbot/config.csv", Body: "Bot Name,Env Bot\nllm-key,sk-vault-only\n" }));
    await s3.idle();
    await notify.current.idle();

    const rows = await eventually(
      async () => {
        const found = await db.sql<Array<{ config_key: string; config_value: string; is_encrypted: boolean }>>`
          select config_key, config_value, is_encrypted from bot_configuration order by config_key`;
        expect(found).toHaveLength(2);
        return found;
      },
      { timeoutMs: 15_000 },
    );
    expect(rows.map((r) => [r.config_key, r.is_encrypted])).toEqual([
      ["Bot Name", false],
      ["llm-key", true],
    ]);
    expect(rows[1]!.config_value).toMatch(/^1:/);
    const health = await fetch(`${url}/health`);
    expect(await health.json()).toMatchObject({ status: "ok", checks: { secrets: { ok: true, source: "vault" } } });
  });
});
