/**
 * botsync against a real S3 server that pushes bucket notifications: a one-node Ceph with radosgw
 * (test/harness/ceph-rgw.ts). botsync subscribes the buckets itself (S3_NOTIFY=ceph: its own persistent
 * topic), and a plain S3 client uploads, overwrites, copies, multipart-uploads and deletes; the database
 * and the work dir follow with no request from the test to the webhook. The reconcile timer is off, so
 * only radosgw's pushes can explain what happens (except where a test runs a tick on purpose).
 *
 * All Ceph end-to-end tests live in this one file: a new persistent topic delivers its first event only
 * at radosgw's first queue check, ≈ 30 s after radosgw started (see ceph-rgw.ts), a wait paid once here.
 */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileBasic } from "../../src/core/basic/compile.js";
import { cephAvailable, cephS3Client, cephSkipReason, freePort, startCephRgw, type CephRgw } from "../harness/ceph-rgw.js";
import { eventually } from "../harness/eventually.js";
import { WEBHOOK_TOKEN, startStack, type ExternalS3Stack } from "../harness/stack.js";

const available = cephAvailable();
const run = promisify(execFile);
const bin = join(import.meta.dirname, "..", "..", "bin", "botsync.mjs");
const BUCKET = "push.gbai";
/** pushes arrive ≈ 0.1 s after their S3 request once the topic delivers; this leaves room for a busy machine */
const PUSHED = { timeoutMs: 15_000, intervalMs: 25 };

let ceph: CephRgw;
let stack: ExternalS3Stack;
/** a plain S3 client, as any uploader would use */
let s3: S3Client;
let workDir: string;
let publicUrl: string;
let port: number;

const unquote = (etag: string | undefined) => (etag ?? "").replaceAll('"', "");

async function put(bucket: string, key: string, body: string): Promise<string> {
  return unquote((await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }))).ETag);
}

/** A multipart upload of one part (the last part may be of any size). */
async function multipartPut(bucket: string, key: string, body: string): Promise<string> {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: body }));
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
  return unquote(done.ETag);
}

async function copy(bucket: string, from: string, to: string): Promise<string> {
  return unquote((await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: `${bucket}/${encodeURIComponent(from)}` }))).CopyObjectResult?.ETag);
}

async function deleteObjects(bucket: string, keys: string[]): Promise<void> {
  await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
}

async function configOf(bot: string): Promise<Record<string, string>> {
  const rows = await stack.db.sql<{ config_key: string; config_value: string }[]>`
    select c.config_key, c.config_value from bot_configuration c join bots b on b.id = c.bot_id where b.name = ${bot} order by c.config_key`;
  return Object.fromEntries(rows.map((r) => [r.config_key, r.config_value]));
}

/** What botsync recorded for a key: every notification that reached its webhook. */
async function eventsFor(bucket: string, key: string) {
  return stack.db.sql<{ source: string; event_name: string; etag: string | null; outcome: string }[]>`
    select source, event_name, etag, outcome from botsync_events where bucket = ${bucket} and object_key = ${key} order by id`;
}

const dialogDir = (bot: string) => join(workDir, `${bot}.gbai`, `${bot}.gbdialog`);

async function api(path: string): Promise<{ status: number; body: any }> {
  const response = await stack.api(path);
  return { status: response.status, body: await response.json() };
}

function botsync(args: string[], env: Record<string, string>) {
  return run(process.execPath, [bin, ...args], {
    env: {
      ...process.env,
      S3_ENDPOINT: ceph.endpoint,
      S3_ACCESS_KEY: ceph.accessKeyId,
      S3_SECRET_KEY: ceph.secretAccessKey,
      S3_REGION: ceph.region,
      WEBHOOK_TOKEN,
      BOTSYNC_PUBLIC_URL: publicUrl,
      S3_NOTIFY: "ceph",
      ...env,
    },
  });
}

/** An HTTP server on botsync's port that answers every POST with 503 and keeps the keys it was sent. */
async function refuseOn(onPort: number) {
  const keys: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { Records?: Array<{ s3?: { object?: { key?: string } } }> };
      for (const record of body.Records ?? []) keys.push(decodeURIComponent(record.s3?.object?.key ?? ""));
      res.statusCode = 503;
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(onPort, "127.0.0.1", () => resolve()));
  return {
    keys,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe.skipIf(!available)(`botsync with Ceph radosgw pushing notifications${available ? "" : ` — skipped: ${cephSkipReason()}`}`, () => {
  beforeAll(async () => {
    ceph = await startCephRgw();
    workDir = await mkdtemp(join(tmpdir(), "botsync-ceph-work-"));
    // The storage server must know botsync's URL before botsync starts, and it must stay the same across
    // the restart below: a fixed port.
    port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    s3 = cephS3Client(ceph);
    // The bucket exists before botsync starts, and botsync subscribes it at start: no test code touches
    // the subscription.
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    stack = await startStack({
      externalS3: ceph,
      reconcileTimer: false,
      env: { PORT: String(port), S3_NOTIFY: "ceph", BOTSYNC_PUBLIC_URL: publicUrl, WORK_DIR: workDir },
    }).catch(async (error) => {
      throw new Error(`${(error as Error).message}\n${await ceph.logTail()}`);
    });
    // Warm-up: radosgw delivers a new persistent topic's events from its first queue check on.
    await put(BUCKET, "warmup.txt", "w");
    await eventually(async () => expect(await eventsFor(BUCKET, "warmup.txt")).toHaveLength(1), {
      timeoutMs: Math.max(ceph.queuesListedAt - Date.now(), 0) + 15_000,
      intervalMs: 100,
    });
  }, 90_000);

  afterAll(async () => {
    s3?.destroy();
    await stack?.close();
    await ceph?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("config.csv: upload, overwrite, multipart upload, copy and delete reach the database", async () => {
    const key = "push.gbot/config.csv";
    const etags: string[] = [];
    etags.push(await put(BUCKET, key, "name,value\nTheme Color,blue\n"));
    await eventually(async () => expect(await configOf("push")).toEqual({ "Theme Color": "blue" }), PUSHED);
    etags.push(await put(BUCKET, key, "name,value\nTheme Color,green\nBot Name,Pushy\n"));
    await eventually(async () => expect(await configOf("push")).toEqual({ "Bot Name": "Pushy", "Theme Color": "green" }), PUSHED);
    etags.push(await multipartPut(BUCKET, key, "name,value\nTheme Color,red\n"));
    expect(etags[2]).toMatch(/-1$/);
    await eventually(async () => expect(await configOf("push")).toEqual({ "Theme Color": "red" }), PUSHED);
    // A copy from outside the bot's folders (that upload itself is an ignored event).
    await put(BUCKET, "incoming/config.csv", "name,value\nTheme Color,yellow\n");
    etags.push(await copy(BUCKET, "incoming/config.csv", key));
    await eventually(async () => expect(await configOf("push")).toEqual({ "Theme Color": "yellow" }), PUSHED);
    await deleteObjects(BUCKET, [key]);
    await eventually(async () => expect(await configOf("push")).toEqual({}), PUSHED);

    const events = await eventsFor(BUCKET, key);
    expect(events.map((e) => [e.source, e.event_name, e.outcome])).toEqual([
      ["webhook", "ObjectCreated:Put", "queued"],
      ["webhook", "ObjectCreated:Put", "queued"],
      ["webhook", "ObjectCreated:CompleteMultipartUpload", "queued"],
      ["webhook", "ObjectCreated:Copy", "queued"],
      ["webhook", "ObjectRemoved:Delete", "queued"],
    ]);
    expect(events.slice(0, 4).map((e) => e.etag)).toEqual(etags);
  });

  it("GET /api/bots/:bot shows that botsync subscribed the bucket itself, to its own topic", async () => {
    // the bot's row, which its first synced object or a reconcile creates (the warm-up upload is no job's)
    await stack.service.tick();
    const { status, body } = await api("/api/bots/push");
    expect(status).toBe(200);
    expect(body.subscription).toEqual({ mode: "ceph", state: "subscribed", target: expect.stringMatching(/^arn:aws:sns:.*:botsync$/) });
    const [warmup] = await eventsFor(BUCKET, "warmup.txt");
    // radosgw's own event name (no "s3:" prefix) and the webhook as the source: a real push.
    expect(warmup).toMatchObject({ source: "webhook", event_name: "ObjectCreated:Put", outcome: "ignored" });
  });

  it("dialogs: upload, overwrite and copy compile into the work dir; a batch delete removes the artifacts", async () => {
    const v1 = 'TALK "Hello from a pushed notification"\n';
    const v2 = 'PARAM name AS STRING DESCRIPTION "who"\nDESCRIPTION "Greets"\nTALK "Hello " + name\n';
    await put(BUCKET, "push.gbdialog/hello.bas", v1);
    const ast = (name: string) => readFile(join(dialogDir("push"), `${name}.ast`), "utf8");
    await eventually(async () => expect(await ast("hello")).toBe(compileBasic(v1, { name: "hello" }).ast), PUSHED);
    await put(BUCKET, "push.gbdialog/hello.bas", v2);
    await eventually(async () => expect(await ast("hello")).toBe(compileBasic(v2, { name: "hello" }).ast), PUSHED);
    await copy(BUCKET, "push.gbdialog/hello.bas", "push.gbdialog/greet.bas");
    await eventually(async () => expect(await ast("greet")).toBe(compileBasic(v2, { name: "greet" }).ast), PUSHED);

    await deleteObjects(BUCKET, ["push.gbdialog/hello.bas", "push.gbdialog/greet.bas"]);
    await eventually(() => {
      for (const file of ["hello.ast", "hello.mcp.json", "greet.ast", "greet.tool.json"]) expect(existsSync(join(dialogDir("push"), file)), file).toBe(false);
    }, PUSHED);
    const names = (await eventsFor(BUCKET, "push.gbdialog/greet.bas")).map((e) => e.event_name);
    expect(names).toEqual(["ObjectCreated:Copy", "ObjectRemoved:Delete"]);
  });

  it("knowledge base: upload, multipart upload, overwrite and delete are indexed and searchable", async () => {
    const search = async (q: string) => (await api(`/api/bots/push/kb/search?q=${encodeURIComponent(q)}`)).body.hits.map((h: any) => h.documentPath);
    await put(BUCKET, "push.gbkb/manuals/intro.txt", "The zebrafish aquarium needs filtered water every morning.");
    await multipartPut(BUCKET, "push.gbkb/manuals/guide.md", "# Setup\n\nConnect the quokka adapter before powering on.");
    await eventually(async () => {
      expect(await search("zebrafish")).toEqual([`${BUCKET}/push.gbkb/manuals/intro.txt`]);
      expect(await search("quokka")).toEqual([`${BUCKET}/push.gbkb/manuals/guide.md`]);
    }, PUSHED);
    await put(BUCKET, "push.gbkb/manuals/intro.txt", "The aquarium now hosts a seahorse.");
    await eventually(async () => {
      expect(await search("seahorse")).toEqual([`${BUCKET}/push.gbkb/manuals/intro.txt`]);
      expect(await search("zebrafish")).toEqual([]);
    }, PUSHED);
    await deleteObjects(BUCKET, ["push.gbkb/manuals/intro.txt"]);
    await eventually(async () => {
      expect(await search("seahorse")).toEqual([]);
      const kb = (await api("/api/bots/push/kb")).body;
      expect(kb.documents.map((d: any) => [d.key, d.status])).toEqual([["push.gbkb/manuals/guide.md", "synced"]]);
    }, PUSHED);
    const names = (await eventsFor(BUCKET, "push.gbkb/manuals/guide.md")).map((e) => [e.source, e.event_name]);
    expect(names).toEqual([["webhook", "ObjectCreated:CompleteMultipartUpload"]]);
  });

  it("a change made while botsync is down arrives when it is back: radosgw redelivers from the persistent topic", async () => {
    let etag = "";
    await stack.restartService(async () => {
      // While botsync is down its port answers 503, so the push is seen to fail before botsync is back.
      const refusing = await refuseOn(port);
      try {
        etag = await put(BUCKET, "push.gbot/config.csv", "name,value\nTheme Color,purple\n");
        await eventually(() => expect(refusing.keys).toContain("push.gbot/config.csv"), PUSHED);
      } finally {
        await refusing.close();
      }
    });
    await eventually(async () => expect(await configOf("push")).toEqual({ "Theme Color": "purple" }), PUSHED);
    // No reconcile ran (no timer, and start-up does not tick): the event is radosgw's.
    expect((await eventsFor(BUCKET, "push.gbot/config.csv")).at(-1)).toMatchObject({ source: "webhook", event_name: "ObjectCreated:Put", etag, outcome: "queued" });
  });

  it("a bucket created while botsync runs is subscribed at reconcile's first sight of it, then synced by pushes", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "later.gbai" }));
    await put("later.gbai", "later.gbot/config.csv", "name,value\nTheme Color,teal\n");
    expect((await api("/api/bots/later")).status).toBe(404);

    await stack.service.tick();
    expect(stack.logs.some((l) => l.includes("bucket subscription changed") && l.includes("subscribe bucket later.gbai to topic botsync"))).toBe(true);
    // The upload made before the subscription is reconcile's to find.
    await eventually(async () => expect(await configOf("later")).toEqual({ "Theme Color": "teal" }), PUSHED);
    expect((await api("/api/bots/later")).body.subscription).toMatchObject({ mode: "ceph", state: "subscribed" });

    // Everything after it is pushed.
    const bas = 'TALK "late but here"\n';
    await put("later.gbai", "later.gbdialog/late.bas", bas);
    await eventually(async () => expect(await readFile(join(dialogDir("later"), "late.ast"), "utf8")).toBe(compileBasic(bas, { name: "late" }).ast), PUSHED);
    expect((await eventsFor("later.gbai", "later.gbdialog/late.bas")).map((e) => [e.source, e.event_name])).toEqual([["webhook", "ObjectCreated:Put"]]);
  });

  it("GET /api/bots/:bot says why the subscription is unknown when the server cannot answer, with a 200", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "gone.gbai" }));
    await stack.service.tick();
    await s3.send(new DeleteBucketCommand({ Bucket: "gone.gbai" }));
    const { status, body } = await api("/api/bots/gone");
    expect(status).toBe(200);
    expect(body.subscription).toEqual({ mode: "ceph", state: "unknown", target: null, error: expect.stringMatching(/^SUBSCRIPTION_FAILED: .*gone\.gbai.*NoSuchBucket/) });
  });

  it("botsync subscribe: --dry-run prints the plan and changes nothing; then subscribes; a refusal exits 1 with the reason", { timeout: 120_000 }, async () => {
    await stack.service.tick(); // push's bot row (before the buckets below exist, so it subscribes none of them)
    for (const bucket of ["cli.gbai", "refuse.gbai"]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const dry = await botsync(["subscribe", "--dry-run"], { LOAD_ONLY: "cli,push" });
    expect(dry.stdout).toContain("would subscribe bucket cli.gbai to topic botsync for created and removed objects");
    expect(dry.stdout).toContain("already subscribed: push.gbai");
    expect(dry.stdout).toContain("dry run: nothing was changed");
    expect(dry.stdout).not.toContain("later.gbai");
    expect((await api("/api/bots/push")).body.subscription.state).toBe("subscribed");

    const done = await botsync(["subscribe"], { LOAD_ONLY: "cli,push" });
    expect(done.stdout).toMatch(/^subscribe bucket cli\.gbai to topic botsync for created and removed objects$/m);
    const again = await botsync(["subscribe", "--dry-run"], { LOAD_ONLY: "cli,push" });
    expect(again.stdout).not.toContain("would ");
    expect(again.stdout).toContain("already subscribed: cli.gbai, push.gbai");

    // radosgw has no MinIO queue targets: it refuses the configuration S3_NOTIFY=minio writes.
    const refused = await botsync(["subscribe"], { LOAD_ONLY: "refuse", S3_NOTIFY: "minio" }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toMatch(/^botsync: SUBSCRIPTION_FAILED: subscribing bucket refuse\.gbai to arn:minio:sqs::botsync:webhook: the storage server refused: /m);
  });
});
