/**
 * MinIO delivers at least once, unordered, and sometimes not at all (docs/notifications.md, "Delivery and
 * retries"). These tests drive a
 * real drive + database + service through duplicated, reordered, dropped notifications and a database
 * outage, and check the config always ends up as the bucket says.
 */
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatSequencer, minioBody } from "../../src/adapters/embedded/minio-notifier.js";
import { startStack, waitForJobs, type Stack } from "../harness/stack.js";

let stack: Stack;
let bots = 0;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

/**
 * A bot of the test's own, so each test stands alone (runs by itself, in any order): its bucket, its
 * config.csv key, and what the tests read and send about that one object.
 */
async function freshBot() {
  const bot = `deliv${++bots}`;
  const bucket = `${bot}.gbai`;
  const key = `${bot}.gbot/config.csv`;
  await stack.createBucket(bucket);
  const etag = async (): Promise<string> => {
    const head = await stack.s3client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return head.ETag!.replace(/"/g, "");
  };
  return {
    bot,
    bucket,
    key,
    etag,
    put: (csv: string) => stack.put(bucket, key, csv),
    /** puts the file and waits until its job committed */
    synced: async (csv: string) => {
      await stack.put(bucket, key, csv);
      await stack.settle();
    },
    async config(): Promise<Record<string, string>> {
      const rows = await stack.db.sql<{ config_key: string; config_value: string }[]>`
        select c.config_key, c.config_value from bot_configuration c join bots b on b.id = c.bot_id
        where b.name = ${bot}`;
      return Object.fromEntries(rows.map((r) => [r.config_key, r.config_value]));
    },
    async syncCount(): Promise<number> {
      const [row] = await stack.db.sql<{ sync_count: number }[]>`
        select s.sync_count from gbot_config_sync s join bots b on b.id = s.bot_id where b.name = ${bot}`;
      return row?.sync_count ?? 0;
    },
    post(eventName: "s3:ObjectCreated:Put" | "s3:ObjectRemoved:Delete", objectEtag: string | undefined, sequencerNs?: bigint) {
      return stack.postWebhook(
        minioBody(
          { eventName, bucket, key, etag: objectEtag, size: objectEtag ? 10 : undefined, eventTime: new Date().toISOString() },
          sequencerNs === undefined ? {} : { sequencer: formatSequencer(sequencerNs) },
        ),
      );
    },
  };
}

describe("notification delivery", () => {
  it("applies the first upload", async () => {
    const b = await freshBot();
    await b.synced("version,1\ncolor,red\n");
    expect(await b.config()).toEqual({ version: "1", color: "red" });
    expect(await b.syncCount()).toBe(1);
  });

  it("a duplicated notification is a no-op", async () => {
    const b = await freshBot();
    await b.synced("version,1\ncolor,red\n");
    const res = await b.post("s3:ObjectCreated:Put", await b.etag());
    expect((await res.json<any>()).records[0]).toMatchObject({ outcome: "duplicate", reason: "this ETag is already processed" });
    await stack.settle();
    expect(await b.syncCount()).toBe(1);
  });

  it("reordered notifications: an older event with another ETag is re-checked, the newer version stays", async () => {
    const b = await freshBot();
    stack.notifications.mode = "drop";
    await b.put("version,2\ncolor,green\n");
    const v2 = await b.etag();
    await b.put("version,3\ncolor,blue\n");
    const v3 = await b.etag();
    stack.notifications.mode = "deliver";
    const t = BigInt(Date.now()) * 1_000_000n;
    const newer = await b.post("s3:ObjectCreated:Put", v3, t + 2n);
    expect((await newer.json<any>()).records[0].outcome).toBe("queued");
    await stack.settle();
    // An ETag other than the processed one is never dropped as stale: the job reads the object as it is now.
    const older = await b.post("s3:ObjectCreated:Put", v2, t + 1n);
    expect((await older.json<any>()).records[0]).toMatchObject({ outcome: "queued" });
    await stack.settle();
    expect(await b.config()).toEqual({ version: "3", color: "blue" });
    // An older event of the processed version itself is stale.
    const replay = await b.post("s3:ObjectCreated:Put", v3, t);
    expect((await replay.json<any>()).records[0]).toMatchObject({ outcome: "stale" });
  });

  it("an out-of-order event without a sequencer still cannot bring back an old version", async () => {
    const b = await freshBot();
    await b.synced("version,3\ncolor,blue\n");
    // The job reads the object as it is now, so an old event only costs one GET.
    const res = await b.post("s3:ObjectCreated:Put", "0123456789abcdef0123456789abcdef");
    expect((await res.json<any>()).records[0].outcome).toBe("queued");
    await stack.settle();
    expect(await b.config()).toEqual({ version: "3", color: "blue" });
    const [row] = await stack.db.sql`select sync_status, processed_etag, etag from drive_files where file_path = ${`${b.bucket}/${b.key}`}`;
    expect(row).toEqual({ sync_status: "synced", processed_etag: await b.etag(), etag: await b.etag() });
  });

  it("a stale delete for an object that exists deletes nothing", async () => {
    const b = await freshBot();
    await b.synced("version,3\ncolor,blue\n");
    const res = await b.post("s3:ObjectRemoved:Delete", undefined);
    expect((await res.json<any>()).records[0].outcome).toBe("queued");
    await stack.settle();
    expect(await b.config()).toEqual({ version: "3", color: "blue" });
  });

  it("a dropped notification shows as drift, and one reconcile heals it", async () => {
    const b = await freshBot();
    await b.synced("version,3\ncolor,blue\n");
    stack.notifications.mode = "drop";
    await b.put("version,4\ncolor,black\n");
    stack.notifications.mode = "deliver";
    const before = await (await stack.api(`/api/bots/${b.bot}`)).json<any>();
    expect(before.drift.inSync).toBe(false);
    expect(before.drift.entries).toEqual([
      expect.objectContaining({ key: b.key, kind: "etag-differs", bucketEtag: await b.etag() }),
    ]);
    await stack.service.tick();
    await waitForJobs(stack.db);
    expect(await b.config()).toEqual({ version: "4", color: "black" });
    const after = await (await stack.api(`/api/bots/${b.bot}`)).json<any>();
    expect(after.drift).toEqual({ inSync: true, entries: [] });
  });

  it("a dropped delete is healed by reconcile too", async () => {
    const b = await freshBot();
    await b.synced("version,4\ncolor,black\n");
    stack.notifications.mode = "drop";
    await stack.remove(b.bucket, b.key);
    stack.notifications.mode = "deliver";
    expect(await b.config()).toEqual({ version: "4", color: "black" });
    await stack.service.tick();
    await waitForJobs(stack.db);
    expect(await b.config()).toEqual({});
    const rows = await stack.db.sql`select 1 from drive_files where file_path = ${`${b.bucket}/${b.key}`}`;
    expect(rows).toHaveLength(0);
  });
});

describe("database outage", () => {
  it("answers 503 while the database is down, and recovers without a restart", async () => {
    const b = await freshBot();
    await b.synced("version,5\n");
    const name = stack.db.name;
    await stack.db.admin.unsafe(`alter database ${name} allow_connections false`);
    await stack.db.admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
    try {
      stack.notifications.mode = "drop";
      await b.put("version,6\n");
      const down = await b.post("s3:ObjectCreated:Put", await b.etag());
      expect(down.status).toBe(503);
      expect((await down.json<any>()).error.code).toBe("DATABASE_UNAVAILABLE");
      const health = await fetch(`${stack.service.url}/health`);
      expect(health.status).toBe(503);
      expect((await health.json<any>()).checks.database.ok).toBe(false);
    } finally {
      await stack.db.admin.unsafe(`alter database ${name} allow_connections true`);
      stack.notifications.mode = "deliver";
    }
    // MinIO retries the event it got a 503 for; the same service instance now records and applies it.
    const up = await b.post("s3:ObjectCreated:Put", await b.etag());
    expect(up.status).toBe(200);
    expect((await up.json<any>()).records[0].outcome).toBe("queued");
    await waitForJobs(stack.db);
    expect(await b.config()).toEqual({ version: "6" });
    expect((await fetch(`${stack.service.url}/health`)).status).toBe(200);
  });
});
