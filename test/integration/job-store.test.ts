/** Leases against real PostgreSQL: two workers (two pools, like two processes) never hold one object. */
import { kindOfFileType, SIGHTING_KIND } from "../harness/kinds.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../harness/manual-clock.js";
import { PgIngestStore } from "../../src/adapters/db/ingest-store.js";
import { PgJobStore } from "../../src/adapters/db/job-store.js";
import { connectDatabase, type Sql } from "../../src/adapters/db/connect.js";
import { createTestDatabase, type TestDatabase } from "../harness/test-database.js";

let db: TestDatabase;
let other: Sql;
let botId: string;
const meta = { source: "webhook" as const, eventName: "s3:ObjectCreated:Put", bucket: "lease.gbai", key: "k" };

beforeAll(async () => {
  db = await createTestDatabase();
  other = connectDatabase(db.url, { max: 4 });
  const ingest = new PgIngestStore(db.sql);
  botId = (await ingest.createBot("lease")).id;
  for (let i = 0; i < 40; i++) {
    await ingest.recordObjectEvent(
      { botId, filePath: `lease.gbai/lease.gbot/config-${i}.csv`, kind: SIGHTING_KIND.config, action: "upsert", etag: `e${i}` },
      { ...meta, key: `lease.gbot/config-${i}.csv` },
    );
  }
});
afterAll(async () => {
  await other?.end();
  await db?.drop();
});

describe("PgJobStore leases", () => {
  it("concurrent claims from two pools never return the same object", async () => {
    const a = new PgJobStore(db.sql, kindOfFileType);
    const b = new PgJobStore(other, kindOfFileType);
    const claims = await Promise.all([
      ...Array.from({ length: 5 }, () => a.claim("worker-a", "fast", 5, 60_000)),
      ...Array.from({ length: 5 }, () => b.claim("worker-b", "fast", 5, 60_000)),
    ]);
    const ids = claims.flat().map((j) => j.id);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    expect(await a.claim("worker-a", "fast", 5, 60_000)).toEqual([]);
  });

  it("a worker whose lease was taken over cannot complete or fail the job", async () => {
    const store = new PgJobStore(db.sql, kindOfFileType);
    const [row] = await db.sql<{ id: string }[]>`select id from drive_files where file_path = 'lease.gbai/lease.gbot/config-0.csv'`;
    await db.sql`update drive_files set lease_owner = 'someone-else' where id = ${row!.id}`;
    const job = {
      id: row!.id, botId, bot: "lease", bucket: "lease.gbai", key: "lease.gbot/config-0.csv", filePath: "lease.gbai/lease.gbot/config-0.csv",
      kind: "config" as const, etag: "e0", present: true, processedEtag: null, reprocess: false, queuedAt: null, attempts: 0, revision: "1",
    };
    let workRan = false;
    await expect(
      store.complete(job, "worker-a", async () => {
        workRan = true;
        return { removed: true };
      }),
    ).rejects.toMatchObject({ code: "JOB_LEASE_LOST" });
    expect(workRan).toBe(false);
    await store.fail(job, "worker-a", { permanent: true, error: "x", retryInMs: 1000 });
    const [after] = await db.sql`select sync_status, lease_owner, last_error from drive_files where id = ${row!.id}`;
    expect(after).toEqual({ sync_status: "pending", lease_owner: "someone-else", last_error: null });
  });

  it("an expired lease can be claimed again (a crashed worker's objects are not lost)", async () => {
    await db.sql`update drive_files set lease_until = now() - interval '1 second' where file_path = 'lease.gbai/lease.gbot/config-1.csv'`;
    const reclaimed = await new PgJobStore(other, kindOfFileType).claim("worker-c", "fast", 10, 60_000);
    expect(reclaimed.map((j) => j.filePath)).toEqual(["lease.gbai/lease.gbot/config-1.csv"]);
  });

  it("a transient failure waits with backoff; a change during the job gets a fresh try", async () => {
    const store = new PgJobStore(db.sql, kindOfFileType);
    await db.sql`update drive_files set lease_until = null, lease_owner = null where file_path = 'lease.gbai/lease.gbot/config-2.csv'`;
    await db.sql`update drive_files set lease_until = now() + interval '1 hour' where file_path <> 'lease.gbai/lease.gbot/config-2.csv'`;
    const [claimed] = await store.claim("w", "fast", 1, 60_000);
    expect(claimed!.filePath).toBe("lease.gbai/lease.gbot/config-2.csv");
    await store.fail(claimed!, "w", { permanent: false, error: "DRIVE_UNAVAILABLE: down", retryInMs: 30_000 });
    const [retry] = await db.sql<{ sync_status: string; wait: number; attempts: number; fail_count: number }[]>`
      select sync_status, extract(epoch from next_attempt_at - now())::int as wait, attempts, fail_count
      from drive_files where id = ${claimed!.id}`;
    expect(retry!.sync_status).toBe("retry");
    expect(retry!.wait).toBeGreaterThan(25);
    expect(retry!.wait).toBeLessThanOrEqual(30);
    expect([retry!.attempts, retry!.fail_count]).toEqual([1, 1]);
    expect(await store.claim("w", "fast", 1, 60_000)).toEqual([]);

    // A new version arrives: the backoff is not waited out and attempts start again.
    await new PgIngestStore(db.sql).recordObjectEvent(
      { botId, filePath: claimed!.filePath, kind: SIGHTING_KIND.config, action: "upsert", etag: "e2-new" },
      { ...meta, key: claimed!.key },
    );
    const [again] = await store.claim("w", "fast", 1, 60_000);
    expect(again).toMatchObject({ filePath: claimed!.filePath, etag: "e2-new", attempts: 0 });
  });
});

describe("PgIngestStore under concurrency", () => {
  it("concurrent events for one object are each recorded once, and the row ends at the newest revision", async () => {
    const a = new PgIngestStore(db.sql);
    const b = new PgIngestStore(other);
    const filePath = "lease.gbai/lease.gbot/hot.csv";
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 ? a : b).recordObjectEvent(
          { botId, filePath, kind: SIGHTING_KIND.config, action: "upsert", etag: `hot-${i % 10}` },
          { ...meta, key: "lease.gbot/hot.csv", etag: `hot-${i % 10}` },
        ),
      ),
    );
    const queued = outcomes.filter((o) => o.outcome === "queued").length;
    expect(outcomes.every((o) => o.outcome === "queued" || o.outcome === "duplicate")).toBe(true);
    const [events] = await db.sql<{ n: number; q: number }[]>`
      select count(*)::int as n, count(*) filter (where outcome = 'queued')::int as q from botsync_events where file_path = ${filePath}`;
    expect(events).toEqual({ n: 30, q: queued });
    const [row] = await db.sql<{ revision: string }[]>`select revision::text from drive_files where file_path = ${filePath}`;
    // the first write inserts at revision 1; every later queued write adds one
    expect(Number(row!.revision)).toBe(queued);
  });
});

describe("PgIngestStore bot cache", () => {
  it("notices a deactivated bot once its cached id expires", async () => {
    const clock = new ManualClock();
    const store = new PgIngestStore(db.sql, { botCacheMs: 50, clock });
    expect(await store.findBot("cached")).toBeNull();
    const first = await store.createBot("cached");
    expect(first.active).toBe(true);
    await db.sql`update bots set is_active = false where id = ${first.id}`;
    clock.advance(49);
    expect((await store.findBot("cached"))?.active).toBe(true); // still cached
    clock.advance(1);
    expect(await store.findBot("cached")).toEqual({ id: first.id, active: false });
  });
});

describe("a re-run asked for while the object's job runs", () => {
  it("is not lost when that job finishes: the row stays pending with its reprocess flag", async () => {
    const ingest = new PgIngestStore(db.sql);
    const meta2 = { ...meta, bucket: "rerun.gbai", key: "rerun.gbkb/faq/a.md" };
    const bot = await ingest.createBot("rerun");
    await ingest.recordObjectEvent({ botId: bot.id, filePath: "rerun.gbai/rerun.gbkb/faq/a.md", kind: SIGHTING_KIND.kb, action: "upsert", etag: "v1" }, meta2);
    const store = new PgJobStore(db.sql, kindOfFileType);
    const [first] = await store.claim("w", "kb", 1, 60_000);
    // the bot's chunking changes while the first run extracts and embeds (before it completes)
    await db.sql`update drive_files set sync_status = 'pending', reprocess = true, revision = revision + 1 where id = ${first!.id}`;
    expect(await store.complete(first!, "w", async () => ({ removed: false, etag: "v1", size: 1, diagnostics: [] }))).toBe("superseded");
    const [second] = await store.claim("w", "kb", 1, 60_000);
    expect(second).toMatchObject({ id: first!.id, processedEtag: "v1", reprocess: true });
    await store.complete(second!, "w", async () => ({ removed: false, etag: "v1", size: 1, diagnostics: [] }));
    const [row] = await db.sql`select sync_status, reprocess from drive_files where id = ${first!.id}`;
    expect(row).toEqual({ sync_status: "synced", reprocess: false });
  });
});
