/**
 * A whole botsync on Node against real parts: a fresh PostgreSQL database, an S3-compatible HTTP server
 * (s3rver) whose events a MinIO-format notifier POSTs to the service's webhook, and the service itself.
 * The notifier can be paused or made to drop events, to test lost and late notifications.
 */
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSettings } from "../../src/core/settings/settings.js";
import { JsonLogger } from "../../src/adapters/log/json-logger.js";
import { startEmbeddedS3, type EmbeddedS3, type S3ObjectEvent } from "../../src/adapters/embedded/s3-server.js";
import { createMinioNotifier, minioBody, type MinioNotifier } from "../../src/adapters/embedded/minio-notifier.js";
import { startNodeService, type NodeService } from "../../functions/node-service.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";
import { resolveSecrets } from "../../src/adapters/settings/resolve-secrets.js";
import type { VaultDouble } from "./vault-double.js";

export const WEBHOOK_TOKEN = "test-webhook-token-0123456789";
export const API_TOKEN = "test-api-token-0123456789abcdef";

export interface Stack {
  db: TestDatabase;
  s3: EmbeddedS3;
  s3client: S3Client;
  service: NodeService;
  /** what the notifier does with the drive's events */
  notifications: { mode: "deliver" | "drop" | "hold"; held: S3ObjectEvent[]; delivered: number };
  /** delivers held events (in the given order, default as received) */
  releaseHeld(order?: (events: S3ObjectEvent[]) => S3ObjectEvent[]): Promise<void>;
  put(bucket: string, key: string, body: string | Uint8Array): Promise<void>;
  remove(bucket: string, key: string): Promise<void>;
  createBucket(bucket: string): Promise<void>;
  /** POSTs a webhook body as MinIO would */
  postWebhook(body: unknown, token?: string | null): Promise<Response>;
  api(path: string, init?: RequestInit): Promise<Response>;
  /** waits until the delivered notifications and every queued job are done */
  settle(): Promise<void>;
  logs: string[];
  close(): Promise<void>;
}

export const MASTER_KEY = "test-master-key-0123456789abcdef0123";
export const DB_PASSWORD = "vault-db-password-s3cr3t";

export interface StackOptions {
  env?: Record<string, string>;
  reconcileTimer?: boolean;
  /** take every secret from this Vault (filled by the stack): the environment then holds only VAULT_* */
  vault?: VaultDouble;
  /** the log writer (default: collected in `logs`) */
  onLog?: (line: string) => void;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const db = await createTestDatabase();
  const dir = await mkdtemp(join(tmpdir(), "botsync-stack-"));
  const notifications: Stack["notifications"] = { mode: "deliver", held: [], delivered: 0 };
  let notifier: MinioNotifier | null = null;
  const s3 = await startEmbeddedS3({
    directory: join(dir, "s3"),
    port: 0,
    onEvent: (event) => {
      if (notifications.mode === "drop") return;
      if (notifications.mode === "hold") notifications.held.push(event);
      else {
        notifications.delivered++;
        void notifier?.notify(event);
      }
    },
  });
  const logs: string[] = [];
  let env: Record<string, string>;
  if (options.vault) {
    const dbUrl = new URL(db.url);
    const s3Url = new URL(s3.endpoint);
    options.vault.set("gbo/tables", { host: dbUrl.hostname, port: dbUrl.port, database: db.name, username: dbUrl.username, password: DB_PASSWORD });
    options.vault.set("gbo/drive", { host: s3Url.hostname, port: s3Url.port, accesskey: s3.accessKeyId, secret: s3.secretAccessKey });
    options.vault.set("gbo/botsync", { webhook_token: WEBHOOK_TOKEN, api_token: API_TOKEN });
    options.vault.set("gbo/encryption", { master_key: MASTER_KEY });
    env = { VAULT_ADDR: options.vault.address, VAULT_TOKEN: options.vault.token, PORT: "0", DATA_DIR: join(dir, "data"), ...options.env };
  } else {
    env = {
      PORT: "0",
      DATABASE_URL: db.url,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY: s3.accessKeyId,
      S3_SECRET_KEY: s3.secretAccessKey,
      WEBHOOK_TOKEN,
      API_TOKEN,
      DATA_DIR: join(dir, "data"),
      ...options.env,
    };
  }
  const { settings, secrets, warnings } = await resolveSecrets(parseSettings(env));
  const log = new JsonLogger({}, "debug", (_level, line) => (options.onLog ?? ((l: string) => logs.push(l)))(line));
  for (const warning of warnings) log.warn(warning);
  const service = await startNodeService(settings, { log, secrets, reconcileTimer: options.reconcileTimer ?? false, poolSize: 4 });
  notifier = createMinioNotifier({ endpoint: `${service.url}/webhooks/minio`, authToken: WEBHOOK_TOKEN, retryDelaysMs: [50, 200, 500, 1000] });
  const s3client = new S3Client({
    endpoint: s3.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });

  const stack: Stack = {
    db,
    s3,
    s3client,
    service,
    notifications,
    logs,
    async releaseHeld(order = (events) => events) {
      const events = order(notifications.held.splice(0));
      for (const event of events) {
        notifications.delivered++;
        await notifier!.notify(event);
      }
    },
    async put(bucket, key, body) {
      await s3client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      await s3.idle();
    },
    async remove(bucket, key) {
      await s3client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      await s3.idle();
    },
    async createBucket(bucket) {
      await s3client.send(new CreateBucketCommand({ Bucket: bucket }));
    },
    postWebhook(body, token = WEBHOOK_TOKEN) {
      return fetch(`${service.url}/webhooks/minio`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    },
    api(path, init = {}) {
      return fetch(`${service.url}${path}`, { ...init, headers: { authorization: `Bearer ${API_TOKEN}`, ...init.headers } });
    },
    async settle() {
      await s3.idle();
      await notifier!.idle();
      await waitForJobs(db);
    },
    async close() {
      s3client.destroy();
      await service.close();
      await s3.close();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Waits until no object is pending (or leased); retries in backoff do not count as pending. */
export async function waitForJobs(db: TestDatabase, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from drive_files where sync_status = 'pending' or lease_until > now()`;
    const n = row?.n ?? 0;
    if (n === 0) return;
    if (Date.now() > deadline) throw new Error(`${n} objects still pending after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export { minioBody };
