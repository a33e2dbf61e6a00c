/**
 * A whole botsync on Node against real parts: a fresh PostgreSQL database, an S3-compatible HTTP server
 * (s3rver) whose events a MinIO-format notifier POSTs to the service's webhook, and the service itself.
 * The notifier can be paused or made to drop events, to test lost and late notifications.
 *
 * With `externalS3` the drive is that server instead (Ceph radosgw from ceph-rgw.ts) and nothing in the
 * stack posts notifications: only what the server itself pushes reaches the webhook.
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
import type { Clock } from "../../src/core/time/clock.js";
import { cephS3Client } from "./ceph-rgw.js";
import { eventually } from "./eventually.js";

export const WEBHOOK_TOKEN = "test-webhook-token-0123456789";
export const API_TOKEN = "test-api-token-0123456789abcdef";

export interface Stack {
  db: TestDatabase;
  s3: EmbeddedS3;
  s3client: S3Client;
  service: NodeService;
  /** WORK_DIR: where the service writes compiled dialogs */
  workDir: string;
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
  /**
   * Stops the service, runs `between` while it is down, and starts it again with the same settings (the
   * same port when PORT was fixed) on the same database and work dir.
   */
  restartService(between?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** An S3 server the stack does not start: its own notifications are the only ones. */
export interface ExternalS3 {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/** The stack on an external S3 server: no s3rver and no notifier to steer. */
export type ExternalS3Stack = Omit<Stack, "s3" | "notifications" | "releaseHeld">;

export const MASTER_KEY = "test-master-key-0123456789abcdef0123";
export const DB_PASSWORD = "vault-db-password-s3cr3t";

export interface StackOptions {
  env?: Record<string, string>;
  reconcileTimer?: boolean;
  /** take every secret from this Vault (filled by the stack): the environment then holds only VAULT_* */
  vault?: VaultDouble;
  /** the log writer (default: collected in `logs`) */
  onLog?: (line: string) => void;
  /** use this S3 server instead of an s3rver with a notifier (not together with `vault`) */
  externalS3?: ExternalS3;
  /** what Vault's cache TTL is measured on (a ManualClock moves it without waiting) */
  clock?: Pick<Clock, "now">;
}

export function startStack(options: StackOptions & { externalS3: ExternalS3 }): Promise<ExternalS3Stack>;
export function startStack(options?: StackOptions): Promise<Stack>;
export async function startStack(options: StackOptions = {}): Promise<Stack | ExternalS3Stack> {
  return options.externalS3 ? startExternalS3Stack({ ...options, externalS3: options.externalS3 }) : startEmbeddedS3Stack(options);
}

async function startEmbeddedS3Stack(options: StackOptions): Promise<Stack> {
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
    env = plainEnv(db, s3, dir, options.env);
  }
  const { startService, workDir } = await serviceStarter(env, options, logs);
  const s3client = new S3Client({
    endpoint: s3.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  const connectNotifier = (service: NodeService) =>
    createMinioNotifier({ endpoint: `${service.url}/webhooks/minio`, authToken: WEBHOOK_TOKEN, retryDelaysMs: [50, 200, 500, 1000] });
  const service = await startService();
  notifier = connectNotifier(service);

  const stack: Stack = {
    db,
    s3,
    s3client,
    service,
    workDir,
    notifications,
    logs,
    async restartService(between) {
      await stack.service.close();
      await between?.();
      stack.service = await startService();
      notifier = connectNotifier(stack.service);
    },
    async releaseHeld(order = (events) => events) {
      const events = order(notifications.held.splice(0));
      for (const event of events) {
        notifications.delivered++;
        await notifier!.notify(event);
      }
    },
    // the drive's events for a write are out once s3rver is idle
    ...objectWrites(s3client, () => s3.idle()),
    postWebhook: (body, token) => postWebhook(stack.service, body, token),
    api: (path, init) => callApi(stack.service, path, init),
    async settle() {
      await s3.idle();
      await notifier!.idle();
      await waitForJobs(db);
    },
    async close() {
      s3client.destroy();
      await stack.service.close();
      await s3.close();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

async function startExternalS3Stack(options: StackOptions & { externalS3: ExternalS3 }): Promise<ExternalS3Stack> {
  if (options.vault) throw new Error("startStack: externalS3 and vault are not combined");
  const external = options.externalS3;
  const db = await createTestDatabase();
  const dir = await mkdtemp(join(tmpdir(), "botsync-stack-"));
  const logs: string[] = [];
  const env = plainEnv(db, external, dir, { S3_REGION: external.region, ...options.env });
  const { startService, workDir } = await serviceStarter(env, options, logs);
  const s3client = cephS3Client(external);
  const stack: ExternalS3Stack = {
    db,
    s3client,
    service: await startService(),
    workDir,
    logs,
    async restartService(between) {
      await stack.service.close();
      await between?.();
      stack.service = await startService();
    },
    ...objectWrites(s3client, async () => {}),
    postWebhook: (body, token) => postWebhook(stack.service, body, token),
    api: (path, init) => callApi(stack.service, path, init),
    settle: () => waitForJobs(db),
    async close() {
      s3client.destroy();
      await stack.service.close();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Uploads and deletes through `s3client`, each followed by `written` (the drive's events are out then). */
function objectWrites(s3client: S3Client, written: () => Promise<void>): Pick<Stack, "put" | "remove" | "createBucket"> {
  return {
    async put(bucket, key, body) {
      await s3client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      await written();
    },
    async remove(bucket, key) {
      await s3client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      await written();
    },
    async createBucket(bucket) {
      await s3client.send(new CreateBucketCommand({ Bucket: bucket }));
    },
  };
}

/** Settings in plain environment variables (no Vault). */
function plainEnv(db: TestDatabase, s3: { endpoint: string; accessKeyId: string; secretAccessKey: string }, dir: string, extra: Record<string, string> = {}) {
  return {
    PORT: "0",
    DATABASE_URL: db.url,
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY: s3.accessKeyId,
    S3_SECRET_KEY: s3.secretAccessKey,
    WEBHOOK_TOKEN,
    API_TOKEN,
    DATA_DIR: join(dir, "data"),
    ...extra,
  };
}

/** Resolves the settings once and returns a function that starts a service with them. */
async function serviceStarter(
  env: Record<string, string>,
  options: StackOptions,
  logs: string[],
): Promise<{ startService: () => Promise<NodeService>; workDir: string }> {
  const { settings, secrets, warnings } = await resolveSecrets(parseSettings(env), { clock: options.clock });
  const log = new JsonLogger({}, "debug", (_level, line) => (options.onLog ?? ((l: string) => logs.push(l)))(line));
  for (const warning of warnings) log.warn(warning);
  return {
    startService: () => startNodeService(settings, { log, secrets, reconcileTimer: options.reconcileTimer ?? false, poolSize: 4 }),
    workDir: settings.workDir,
  };
}

function postWebhook(service: NodeService, body: unknown, token: string | null = WEBHOOK_TOKEN): Promise<Response> {
  return fetch(`${service.url}/webhooks/minio`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

function callApi(service: NodeService, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${service.url}${path}`, { ...init, headers: { authorization: `Bearer ${API_TOKEN}`, ...init.headers } });
}

/** Waits until no object is pending (or leased); retries in backoff do not count as pending. */
export async function waitForJobs(db: Pick<TestDatabase, "sql">, timeoutMs = 10_000): Promise<void> {
  await eventually(
    async () => {
      const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from drive_files where sync_status = 'pending' or lease_until > now()`;
      if ((row?.n ?? 0) > 0) throw new Error(`${row!.n} objects still pending after ${timeoutMs} ms`);
    },
    { timeoutMs },
  );
}

export { minioBody };
