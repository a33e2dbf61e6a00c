/** Reconcile against real PostgreSQL and a real S3-compatible server. */
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { productionKinds } from "../harness/kinds.js";
import type { Drive } from "../../src/core/ports/drive.js";
import { reconcile, type ReconcileDeps } from "../../src/core/reconcile/reconcile.js";
import { PgReconcileStore } from "../../src/adapters/db/reconcile-store.js";
import { S3Drive } from "../../src/adapters/drive/s3-drive.js";
import { startEmbeddedS3, type EmbeddedS3 } from "../../src/adapters/embedded/s3-server.js";
import { JsonLogger } from "../../src/adapters/log/json-logger.js";
import { createTestDatabase, type TestDatabase } from "../harness/test-database.js";

let db: TestDatabase;
let s3: EmbeddedS3;
let dir: string;
let drive: S3Drive;
/** The drive's methods bound to it, to override one of them in a test. */
const boundDrive = (): Drive => ({
  listBuckets: () => drive.listBuckets(),
  bucketExists: (b) => drive.bucketExists(b),
  listObjects: (b) => drive.listObjects(b),
  getObject: (b, k, m) => drive.getObject(b, k, m),
  check: () => drive.check(),
});
let counted: postgres.Sql;
const statements: string[] = [];
const log = new JsonLogger({}, "error", () => {});

function deps(overrides: Partial<ReconcileDeps> = {}): ReconcileDeps {
  return {
    drive,
    store: new PgReconcileStore(counted),
    kinds: productionKinds({ only: ["config"] }),
    loadOnly: null,
    log,
    ...overrides,
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), "botsync-reconcile-"));
  s3 = await startEmbeddedS3({ directory: dir, port: 0 });
  const client = new S3Client({ endpoint: s3.endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  for (const bucket of ["r1.gbai", "r2.gbai", "not.a.bot.gbai", "plain-bucket"]) await client.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const bot of ["r1", "r2"]) {
    await client.send(new PutObjectCommand({ Bucket: `${bot}.gbai`, Key: `${bot}.gbot/config.csv`, Body: "a,1\n" }));
    await client.send(new PutObjectCommand({ Bucket: `${bot}.gbai`, Key: `${bot}.gbdialog/start.bas`, Body: "TALK 1\n" }));
    await client.send(new PutObjectCommand({ Bucket: `${bot}.gbai`, Key: `${bot}.gbkb/docs/`, Body: "" }));
  }
  client.destroy();
  drive = new S3Drive({ endpoint: s3.endpoint, region: "us-east-1", credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  counted = postgres(db.url, { max: 2, onnotice: () => {}, debug: (_conn, query) => statements.push(query) });
});
afterAll(async () => {
  drive?.destroy();
  await counted?.end();
  await s3?.close();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A fingerprint of every row botsync could write: any insert, update or delete changes it. */
async function fingerprint(): Promise<string> {
  const rows = await db.sql`
    select (select string_agg(id::text || xmin::text, ',' order by id) from drive_files) as files,
           (select string_agg(id::text || xmin::text, ',' order by id) from bots) as bots,
           (select count(*) from botsync_events) as events`;
  return JSON.stringify(rows[0]);
}

describe("reconcile", () => {
  it("the first tick creates the bots and queues every handled object; other buckets are reported", async () => {
    const report = await reconcile(deps());
    expect(report.status).toBe("done");
    expect(report.buckets.map((b) => [b.bucket, b.objects, b.queued])).toEqual([
      ["r1.gbai", 3, 1],
      ["r2.gbai", 3, 1],
    ]);
    expect(report.ignoredBuckets).toEqual([{ bucket: "not.a.bot.gbai", reason: expect.stringMatching(/bot name/) }]);
    const files = await db.sql`select file_path, sync_status, etag from drive_files order by file_path`;
    expect(files.map((f) => [f.file_path, f.sync_status])).toEqual([
      ["r1.gbai/r1.gbot/config.csv", "pending"],
      ["r2.gbai/r2.gbot/config.csv", "pending"],
    ]);
    expect((await db.sql`select name from bots order by name`).map((b) => b.name)).toEqual(["r1", "r2"]);
  });

  it("an unchanged tick writes nothing and makes at most 2 queries per bucket", async () => {
    await db.sql`update drive_files set sync_status = 'synced', processed_etag = etag`;
    const before = await fingerprint();
    statements.length = 0;
    const report = await reconcile(deps());
    expect(report.queued).toBe(0);
    expect(await fingerprint()).toBe(before);
    const writes = statements.filter((q) => /^\s*(insert|update|delete)/i.test(q));
    expect(writes).toEqual([]);
    // lock + unlock + one bots query for the tick, then one drive_files query per bucket
    const perTick = 3;
    expect(statements.length - perTick).toBeLessThanOrEqual(2 * report.buckets.length);
  });

  it("honours LOAD_ONLY", async () => {
    await db.sql`delete from drive_files`;
    const report = await reconcile(deps({ loadOnly: new Set(["r2"]) }));
    expect(report.buckets.map((b) => b.bucket)).toEqual(["r2.gbai"]);
    expect((await db.sql`select file_path from drive_files`).map((f) => f.file_path)).toEqual(["r2.gbai/r2.gbot/config.csv"]);
  });

  it("skips inactive bots", async () => {
    await db.sql`update bots set is_active = false where name = 'r1'`;
    const report = await reconcile(deps());
    expect(report.buckets.map((b) => b.bucket)).toEqual(["r2.gbai"]);
    expect(report.ignoredBuckets).toContainEqual({ bucket: "r1.gbai", reason: 'bot "r1" is inactive (bots.is_active = false)' });
    await db.sql`update bots set is_active = true where name = 'r1'`;
  });

  it("only one reconcile runs at a time, across connections", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    // listBuckets is the first thing reconcile does once it holds the lock
    const holdsLock = new Promise<void>((resolve) => (locked = resolve));
    const slowDrive: Drive = { ...boundDrive(), listBuckets: async () => (locked(), await gate, drive.listBuckets()) };
    const other = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const first = reconcile(deps({ drive: slowDrive }));
      await holdsLock;
      const second = await reconcile(deps({ store: new PgReconcileStore(other) }));
      expect(second.status).toBe("busy");
      release();
      expect((await first).status).toBe("done");
      expect((await reconcile(deps({ store: new PgReconcileStore(other) }))).status).toBe("done");
    } finally {
      release();
      await other.end();
    }
  });

  it("a bucket that cannot be listed is reported and does not stop the others", async () => {
    const flaky: Drive = {
      ...boundDrive(),
      listObjects: async (bucket) => {
        if (bucket === "r1.gbai") throw new Error("boom");
        return drive.listObjects(bucket);
      },
    };
    const report = await reconcile(deps({ drive: flaky }));
    expect(report.buckets.find((b) => b.bucket === "r1.gbai")?.error).toMatch(/boom/);
    expect(report.buckets.find((b) => b.bucket === "r2.gbai")?.error).toBeUndefined();
  });
});
