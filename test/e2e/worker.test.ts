/**
 * The Cloudflare Worker end to end: functions/worker.ts bundled by wrangler exactly as for a deploy, run in
 * workerd through Miniflare, against a fresh PostgreSQL database (postgres.js over cloudflare:sockets) and
 * an s3rver (the AWS SDK over fetch). MinIO's part is played by the test: it PUTs objects and POSTs
 * MinIO-format notifications itself, or deliberately doesn't.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReconcileReport } from "../../src/core/reconcile/reconcile.js";
import { startEmbeddedS3, type EmbeddedS3 } from "../../src/adapters/embedded/s3-server.js";
import { minioBody } from "../../src/adapters/embedded/minio-notifier.js";
import { createTestDatabase, type TestDatabase } from "../harness/test-database.js";
import { eventually } from "../harness/eventually.js";

// Same as wrangler.toml: the bundle is built for this date, and workerd refuses a mismatch (a bundle built for
// 2026-04-01 run with an older compatibility date fails with `No such module "node:tty"`).
const COMPATIBILITY_DATE = "2026-04-01";
const COMPATIBILITY_FLAGS = ["nodejs_compat"];

const WEBHOOK_TOKEN = "worker-webhook-token-0123456789";
const API_TOKEN = "worker-api-token-0123456789abcdef";
const BUCKET = "w1.gbai";
const KEY = "w1.gbot/config.csv";
const WORKER_APP_NAME = "botsync-worker-under-test";

/** The RPC surface of ReconcileTicker that the test uses. */
interface TickerStub {
  tickNow(): Promise<ReconcileReport>;
  alarmAt(): Promise<number | null>;
}

let dir: string;
let db: TestDatabase;
let s3: EmbeddedS3;
let s3client: S3Client;
let mf: Miniflare;
let scriptPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "botsync-worker-"));
  const outdir = join(dir, "bundle");
  // A fresh bundle per run, in a temp dir so parallel runs never share one (dist/ is the npm script's).
  await promisify(execFile)("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    timeout: 60_000,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
  });
  scriptPath = join(outdir, "worker.js");

  db = await createTestDatabase();
  s3 = await startEmbeddedS3({ directory: join(dir, "s3"), port: 0 });
  s3client = new S3Client({
    endpoint: s3.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  await s3client.send(new CreateBucketCommand({ Bucket: BUCKET }));

  mf = worker({
    // application_name tells the Worker's connections from the test's own (postgres.js: URL parameters win).
    DATABASE_URL: `${db.url}?application_name=${WORKER_APP_NAME}`,
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY: s3.accessKeyId,
    S3_SECRET_KEY: s3.secretAccessKey,
    WEBHOOK_TOKEN,
    API_TOKEN,
    // The minimum; once the cron has armed the alarm, ticks come every second.
    RECONCILE_INTERVAL_MS: "1000",
  });
  await mf.ready;
}, 120_000);

afterAll(async () => {
  await mf?.dispose();
  s3client?.destroy();
  await s3?.close();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The bundle in workerd with these vars/secrets; the rest mirrors wrangler.toml (Miniflare doesn't read it). */
function worker(bindings: Record<string, string>): Miniflare {
  return new Miniflare({
    scriptPath,
    modules: true,
    // Module names are paths relative to modulesRoot (default: the cwd); a bundle outside the cwd would get
    // a "../" name, which workerd rejects ("can't use \"..\" to break out of starting directory").
    modulesRoot: dirname(scriptPath),
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
    bindings: { S3_REGION: "us-east-1", LOAD_ONLY: "", LOG_LEVEL: "warn", ...bindings },
    // new_sqlite_classes in wrangler.toml ⇒ useSQLite here.
    durableObjects: { RECONCILER: { className: "ReconcileTicker", useSQLite: true } },
  });
}

async function ticker(): Promise<TickerStub> {
  const ns = await mf.getDurableObjectNamespace("RECONCILER");
  return ns.get(ns.idFromName("reconciler")) as unknown as TickerStub;
}

async function put(body: string): Promise<{ etag: string; size: number }> {
  const out = await s3client.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: body }));
  return { etag: (out.ETag ?? "").replace(/^"|"$/g, ""), size: Buffer.byteLength(body) };
}

/** Uploads config.csv and posts its MinIO notification, as MinIO would; the notification's response. */
async function uploadConfig(body: string): Promise<{ etag: string; res: Response }> {
  const { etag, size } = await put(body);
  const res = await postWebhook(minioBody({ eventName: "s3:ObjectCreated:Put", bucket: BUCKET, key: KEY, etag, size, eventTime: new Date().toISOString() }), WEBHOOK_TOKEN);
  return { etag, res };
}

function postWebhook(body: unknown, token: string): Promise<Response> {
  return mf.dispatchFetch("http://botsync.test/webhooks/minio", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  }) as unknown as Promise<Response>;
}

async function configOf(bot: string): Promise<Record<string, { value: string; type: string }>> {
  const rows = await db.sql<{ config_key: string; config_value: string; config_type: string }[]>`
    select c.config_key, c.config_value, c.config_type from bot_configuration c join bots b on b.id = c.bot_id where b.name = ${bot}`;
  return Object.fromEntries(rows.map((r) => [r.config_key, { value: r.config_value, type: r.config_type }]));
}

async function configFile(): Promise<{ sync_status: string; processed_etag: string | null } | undefined> {
  const [row] = await db.sql<{ sync_status: string; processed_etag: string | null }[]>`
    select f.sync_status, f.processed_etag from drive_files f join bots b on b.id = f.bot_id
    where b.name = 'w1' and f.file_path = ${`${BUCKET}/${KEY}`}`; // drive_files.file_path is "{bucket}/{key}", as the botserver writes it
  return row;
}

async function eventCount(): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from botsync_events`;
  return row?.n ?? 0;
}

/** Postgres sessions the Worker still holds open. */
async function workerConnections(): Promise<number> {
  const [row] = await db.admin<{ n: number }[]>`
    select count(*)::int as n from pg_stat_activity where datname = ${db.name} and application_name = ${WORKER_APP_NAME}`;
  return row?.n ?? 0;
}

async function expectSynced(expected: Record<string, { value: string; type: string }>, etag: string): Promise<void> {
  await eventually(async () => {
    expect(await configOf("w1")).toEqual(expected);
    expect(await configFile()).toEqual({ sync_status: "synced", processed_etag: etag });
    await eventually(async () => expect(await workerConnections()).toBe(0));
  });
}

describe("the Worker in workerd (Miniflare)", () => {
  it("GET /health answers 200 with the database and the drive reachable", async () => {
    const res = await mf.dispatchFetch("http://botsync.test/health");
    const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean }> };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.status).toBe("ok");
    expect(body.checks.database?.ok).toBe(true);
    expect(body.checks.drive?.ok).toBe(true);
  });

  it("GET /metrics answers 404 saying why: a Worker isolate has no counters a scraper could reach", async () => {
    const res = await mf.dispatchFetch("http://botsync.test/metrics", { headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/isolate/);
  });

  it("a MinIO notification for config.csv is queued, then drained into bot_configuration after the response", async () => {
    const { etag, res } = await uploadConfig("name,value\nBot Name,Worker One\nllm-temperature,0.5\nllm-cache,false\nmax-tokens,1024\n");
    const body = (await res.json()) as { received: number; records: Array<{ outcome: string }> };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.received).toBe(1);
    expect(body.records[0]?.outcome).toBe("queued");
    await expectSynced(
      {
        "Bot Name": { value: "Worker One", type: "string" },
        "llm-temperature": { value: "0.5", type: "number" },
        "llm-cache": { value: "false", type: "boolean" },
        "max-tokens": { value: "1024", type: "number" },
      },
      etag,
    );
    // The client was ended after the drain (had it ended before, the drain could not have written the rows).
    await eventually(async () => expect(await workerConnections()).toBe(0));
  });

  it("a wrong webhook token gets 401 and records nothing", async () => {
    const before = await eventCount();
    const res = await postWebhook(
      minioBody({ eventName: "s3:ObjectCreated:Put", bucket: BUCKET, key: KEY, etag: "0123456789abcdef0123456789abcdef", size: 10, eventTime: new Date().toISOString() }),
      "not-the-webhook-token-at-all",
    );
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("UNAUTHORIZED");
    expect(await eventCount()).toBe(before);
  });

  it("a lost notification is healed by one Durable Object tick", async () => {
    const { etag } = await put("name,value\nBot Name,Worker One v2\nllm-temperature,0.9\n");
    const report = await (await ticker()).tickNow();
    expect(report.status).toBe("done");
    expect(report.queued).toBe(1);
    expect(report.buckets.map((b) => b.bucket)).toEqual([BUCKET]);
    // tickNow drains before it returns, so no polling is needed here.
    expect(await configOf("w1")).toEqual({
      "Bot Name": { value: "Worker One v2", type: "string" },
      "llm-temperature": { value: "0.9", type: "number" },
    });
    expect(await configFile()).toEqual({ sync_status: "synced", processed_etag: etag });
    await eventually(async () => expect(await workerConnections()).toBe(0));
  });

  it("KB documents stream from the drive into extraction in workerd: cut at the text limit, an unsupported one refused unread", async () => {
    const line = "1042,capybara feed,delivered to the river enclosure on time\n";
    const csv = line.repeat(Math.ceil(12_000_000 / line.length)); // 12 MB: more than the 10M-character text limit
    const docs: Array<[string, string]> = [
      ["w1.gbkb/docs/manual.txt", "The okapi manual explains the feeding schedule."],
      ["w1.gbkb/docs/orders.csv", csv],
      ["w1.gbkb/docs/tool.exe", "MZ not a document"],
    ];
    for (const [key, body] of docs) await s3client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    await (await ticker()).tickNow();
    const rows = await db.sql<{ file_path: string; sync_status: string; last_error: string | null; diagnostics: Array<{ code: string }> | null }[]>`
      select file_path, sync_status, last_error, diagnostics from drive_files where file_path like ${`${BUCKET}/w1.gbkb/%`} order by file_path`;
    expect(rows.map((r) => [r.file_path, r.sync_status, r.last_error?.split(":")[0] ?? null])).toEqual([
      [`${BUCKET}/w1.gbkb/docs/manual.txt`, "synced", null],
      [`${BUCKET}/w1.gbkb/docs/orders.csv`, "synced", null],
      [`${BUCKET}/w1.gbkb/docs/tool.exe`, "failed", "KB_UNSUPPORTED_FORMAT"],
    ]);
    expect(rows[1]!.diagnostics?.map((d) => d.code)).toEqual(["kb-truncated", "kb-truncated"]);
    const search = await mf.dispatchFetch("http://botsync.test/api/bots/w1/kb/search?q=okapi", { headers: { authorization: `Bearer ${API_TOKEN}` } });
    const hits = ((await search.json()) as { hits: Array<{ documentPath: string }> }).hits;
    expect(hits.map((h) => h.documentPath)).toEqual([`${BUCKET}/w1.gbkb/docs/manual.txt`]);
    await eventually(async () => expect(await workerConnections()).toBe(0));
  }, 60_000);

  it("the cron arms the alarm chain (and prunes the event log at minute 0); the alarm then heals changes by itself", async () => {
    expect(await (await ticker()).alarmAt()).toBeNull();
    await db.sql`
      insert into botsync_events (received_at, source, event_name, bucket, object_key, outcome)
      values (now() - interval '30 days', 'webhook', 's3:ObjectCreated:Put', ${BUCKET}, 'old', 'queued')`;

    const scheduledTime = new Date();
    scheduledTime.setUTCMinutes(0, 0, 0);
    const result = await (await mf.getWorker()).scheduled({ cron: "* * * * *", scheduledTime });
    expect(result.outcome).toBe("ok");
    const armedAt = await (await ticker()).alarmAt();
    expect(armedAt).not.toBeNull();
    await eventually(async () => {
      const [old] = await db.sql<{ n: number }[]>`select count(*)::int as n from botsync_events where object_key = 'old'`;
      expect(old?.n).toBe(0);
    });

    // Nobody notifies and nobody calls tickNow: only the alarm (1 s out, then every RECONCILE_INTERVAL_MS) can do it.
    const { etag } = await put("name,value\nBot Name,Worker One v3\n");
    await expectSynced({ "Bot Name": { value: "Worker One v3", type: "string" } }, etag);
    const rearmedAt = await (await ticker()).alarmAt();
    expect(rearmedAt).not.toBeNull();
    expect(rearmedAt!).toBeGreaterThan(armedAt!);
  });

  it("serves the console: sign-in with the API token gives a session that opens the pages; events are polled", async () => {
    const { etag } = await uploadConfig("name,value\nBot Name,Worker Console\n");
    await eventually(async () => expect(await configFile()).toEqual({ sync_status: "synced", processed_etag: etag }));
    const page = await mf.dispatchFetch("http://botsync.test/", { redirect: "manual" });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/sign-in?next=%2F");
    const signIn = await mf.dispatchFetch("https://botsync.test/sign-in", {
      method: "POST",
      body: new URLSearchParams({ token: API_TOKEN, next: "/bots/w1" }),
      redirect: "manual",
    });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get("location")).toBe("/bots/w1");
    const setCookie = signIn.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^__Host-botsync_session=[^;]+; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    const cookie = setCookie.split(";")[0]!;
    const bot = await mf.dispatchFetch("https://botsync.test/bots/w1", { headers: { cookie } });
    expect(bot.status).toBe(200);
    expect(await bot.text()).toContain('<tr data-key="w1.gbot/config.csv">');
    const events = await mf.dispatchFetch("https://botsync.test/events", { headers: { cookie } });
    expect(await events.text()).toContain('data-live="poll" data-src="/events/rows"');
    const rows = await mf.dispatchFetch("https://botsync.test/events/rows", { headers: { cookie } });
    expect(await rows.text()).toMatch(/^<tr id="ev-\d+"/);
    await eventually(async () => expect(await workerConnections()).toBe(0));
  });

  it("answers 500 SETTINGS_INVALID naming DATABASE_URL and S3_ENDPOINT when they are not set", async () => {
    const bare = worker({ WEBHOOK_TOKEN, API_TOKEN });
    try {
      const res = await bare.dispatchFetch("http://botsync.test/health");
      expect(res.status).toBe(500);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("SETTINGS_INVALID");
      expect(body.error.message).toContain("DATABASE_URL is required on Cloudflare Workers");
      expect(body.error.message).toContain("S3_ENDPOINT is required on Cloudflare Workers");
    } finally {
      await bare.dispose();
    }
  });
});
