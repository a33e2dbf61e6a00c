/**
 * Leases are short and renewed while a job runs: a long job keeps its object, and the objects of a process
 * that died are picked up soon after its last heartbeat.
 */
import { kindOfFileType, SIGHTING_KIND } from "../harness/kinds.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgIngestStore } from "../../src/adapters/db/ingest-store.js";
import { PgJobStore } from "../../src/adapters/db/job-store.js";
import { JsonLogger } from "../../src/adapters/log/json-logger.js";
import { KindRegistry, register } from "../../src/core/jobs/kind-registry.js";
import type { BytesObjectJobHandler } from "../../src/core/jobs/object-job-handler.js";
import { transactionEndingWith, type Tx } from "../../src/adapters/db/connect.js";
import type { Drive, StreamingDrive } from "../../src/core/ports/drive.js";
import { DEFAULT_LANES, JobLanes } from "../../src/handlers/job-lanes.js";
import { eventually } from "../harness/eventually.js";
import { ManualClock } from "../harness/manual-clock.js";
import { createTestDatabase, type TestDatabase } from "../harness/test-database.js";

let db: TestDatabase;
let botId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  botId = (await new PgIngestStore(db.sql).createBot("leases")).id;
});
afterAll(async () => {
  await db?.drop();
});

const drive: Drive & StreamingDrive = {
  statObject: async () => {
    throw new Error("config jobs read bytes, not streams");
  },
  openObject: async () => {
    throw new Error("config jobs read bytes, not streams");
  },
  listBuckets: async () => [],
  bucketExists: async () => true,
  listObjects: async () => [],
  getObject: async (_bucket, key) => ({ key, etag: "v1", size: 1, bytes: new Uint8Array([1]) }),
  check: async () => {},
};

async function queue(name: string): Promise<string> {
  await new PgIngestStore(db.sql).recordObjectEvent(
    { botId, filePath: `leases.gbai/leases.gbot/${name}`, kind: SIGHTING_KIND.config, action: "upsert", etag: "v1" },
    { source: "webhook", eventName: "s3:ObjectCreated:Put", bucket: "leases.gbai", key: `leases.gbot/${name}` },
  );
  const [row] = await db.sql<{ id: string }[]>`select id from drive_files where file_path = ${`leases.gbai/leases.gbot/${name}`}`;
  return row!.id;
}

function lanes(owner: string, handler: BytesObjectJobHandler<unknown>, leaseMs: number, clock: ManualClock): JobLanes<Tx> {
  const kinds = new KindRegistry<Tx>([register({ name: "config", fileType: "config", lane: "fast", matches: () => true, handler }, () => ({}))]);
  return new JobLanes(
    { drive, jobs: new PgJobStore(db.sql, kindOfFileType), kinds, owner, log: new JsonLogger({}, "error") },
    { fast: { concurrency: 1, leaseMs }, kb: { concurrency: 1, leaseMs } },
    clock,
  );
}

async function lease(id: string) {
  const [row] = await db.sql<{ lease_owner: string | null; ms_left: number }[]>`
    select lease_owner, (extract(epoch from lease_until - now()) * 1000)::int as ms_left from drive_files where id = ${id}`;
  return row!;
}

/** What the database would see once a lease's time is up, without waiting for it. */
async function expireLease(id: string): Promise<void> {
  await db.sql`update drive_files set lease_until = now() - interval '1 millisecond' where id = ${id}`;
}

describe("job leases", () => {
  it("are short: a dead process's objects come free within 30 s", () => {
    for (const lane of Object.values(DEFAULT_LANES)) expect(lane.leaseMs).toBeLessThanOrEqual(30_000);
  });

  it("a job that runs past its lease keeps the object: the heartbeat renews it, and no one else runs it", async () => {
    const id = await queue("slow.csv");
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // slow work happens in prepare, outside the completion transaction (as the KB job's extraction does)
    const slow: BytesObjectJobHandler<unknown> = {
      maxBytes: 10,
      prepare: async () => (await gate, { diagnostics: [] }),
      apply: async () => ({ diagnostics: [] }),
      remove: async () => {},
    };
    const clock = new ManualClock();
    const leaseMs = 60_000;
    const a = lanes("worker-a", slow, leaseMs, clock);
    const running = a.drain(Date.now() + 60_000);
    await eventually(async () => expect((await lease(id)).lease_owner).toBe("worker-a"));
    for (let beat = 0; beat < 3; beat++) {
      // the lease runs out (as if leaseMs had passed) just before each heartbeat is due
      await expireLease(id);
      clock.advance(leaseMs / 4);
      await eventually(async () => expect((await lease(id)).ms_left).toBeGreaterThan(leaseMs / 2));
      expect(await new PgJobStore(db.sql, kindOfFileType).claim("worker-b", "fast", 10, leaseMs)).toEqual([]);
    }
    release();
    expect(await running).toEqual(["applied"]);
  });

  it("a lease nobody renews (the process died) is claimed by another worker once it ends", async () => {
    const id = await queue("orphan.csv");
    const store = new PgJobStore(db.sql, kindOfFileType);
    const [claimed] = await store.claim("dead-worker", "fast", 1, DEFAULT_LANES.fast.leaseMs);
    expect(claimed?.id).toBe(id);
    expect(await store.claim("worker-c", "fast", 1, DEFAULT_LANES.fast.leaseMs)).toEqual([]);
    await expireLease(id);
    const taken = await store.claim("worker-c", "fast", 1, DEFAULT_LANES.fast.leaseMs);
    expect(taken.map((j) => j.id)).toEqual([id]);
    // and the dead worker, were it to wake up, can neither renew nor complete
    expect(await store.renew([id], "dead-worker", DEFAULT_LANES.fast.leaseMs)).toEqual([]);
    await expect(store.complete(claimed!, "dead-worker", async () => ({ removed: true }))).rejects.toMatchObject({ code: "JOB_LEASE_LOST" });
  });
});

describe("the webhook's write takes the lease, so the job runs in the process that queued it", () => {
  const sighting = (name: string, etag: string) => ({
    botId,
    filePath: `leases.gbai/leases.gbot/${name}`,
    kind: SIGHTING_KIND.config,
    action: "upsert" as const,
    etag,
  });
  const meta = (name: string) => ({ source: "webhook" as const, eventName: "s3:ObjectCreated:Put", bucket: "leases.gbai", key: `leases.gbot/${name}` });

  it("leases a queued object nobody holds; a change recorded while the job runs is left pending, and the job's completion says superseded", async () => {
    const ingest = new PgIngestStore(db.sql);
    const store = new PgJobStore(db.sql, kindOfFileType);
    const first = await ingest.recordObjectEvent(sighting("now.csv", "v1"), meta("now.csv"), { owner: "worker-a", leaseMs: 20_000 });
    expect(first).toMatchObject({ outcome: "queued", job: { filePath: "leases.gbai/leases.gbot/now.csv", kind: "config", etag: "v1" } });
    const job = first.job!;
    expect((await lease(job.id)).lease_owner).toBe("worker-a");
    expect(await store.claim("worker-b", "fast", 10, 20_000)).toEqual([]);

    const second = await ingest.recordObjectEvent(sighting("now.csv", "v2"), meta("now.csv"), { owner: "worker-b", leaseMs: 20_000 });
    expect(second).toEqual({ outcome: "queued", freshTry: true });
    expect((await lease(job.id)).lease_owner).toBe("worker-a");

    expect(await store.complete(job, "worker-a", async () => ({ removed: false, etag: "v1", size: 1, diagnostics: [] }))).toBe("superseded");
    const [row] = await db.sql<{ sync_status: string; processed_etag: string; lease_owner: string | null }[]>`
      select sync_status, processed_etag, lease_owner from drive_files where id = ${job.id}`;
    expect(row).toEqual({ sync_status: "pending", processed_etag: "v1", lease_owner: null });

    const third = await ingest.recordObjectEvent(sighting("now.csv", "v3"), meta("now.csv"), { owner: "worker-b", leaseMs: 20_000 });
    expect(third.job).toMatchObject({ id: job.id, etag: "v3", processedEtag: "v1" });
  });

  it("does not take an expired lease, not even one of the same process, whose job may still be running", async () => {
    const ingest = new PgIngestStore(db.sql);
    const first = await ingest.recordObjectEvent(sighting("expired.csv", "v1"), meta("expired.csv"), { owner: "worker-a", leaseMs: 20_000 });
    await expireLease(first.job!.id);
    const again = await ingest.recordObjectEvent(sighting("expired.csv", "v2"), meta("expired.csv"), { owner: "worker-a", leaseMs: 20_000 });
    expect(again.job).toBeUndefined();
    // the lane's claim, which waits out a lease, takes it as before
    expect((await new PgJobStore(db.sql, kindOfFileType).claim("worker-c", "fast", 10, 20_000)).map((j) => j.id)).toContain(first.job!.id);
  });

  it("a lane's slots and its loop share the lane's concurrency: the loop claims nothing while a slot holds the only place", async () => {
    const quick: BytesObjectJobHandler<unknown> = { maxBytes: 10, apply: async () => ({ diagnostics: [] }), remove: async () => {} };
    const a = lanes("worker-slots", quick, 20_000, new ManualClock());
    expect(a.take("fast")).toBeNull();
    a.start();
    try {
      const slot = a.take("fast")!;
      expect(slot).toMatchObject({ owner: "worker-slots", leaseMs: 20_000 });
      expect(a.take("fast")).toBeNull();
      const id = await queue("waiting.csv");
      a.kick();
      await new Promise((r) => setTimeout(r, 200));
      expect((await lease(id)).lease_owner).toBeNull();
      slot.release();
      await eventually(async () => {
        const [row] = await db.sql<{ sync_status: string }[]>`select sync_status from drive_files where id = ${id}`;
        expect(row!.sync_status).toBe("synced");
      });
      // a slot's job runs under the lease the write took, and ends it
      const taken = a.take("fast")!;
      const recorded = await new PgIngestStore(db.sql).recordObjectEvent(sighting("slot.csv", "v1"), meta("slot.csv"), { owner: taken.owner, leaseMs: taken.leaseMs });
      taken.run(recorded.job!);
      await eventually(async () => {
        const [row] = await db.sql<{ sync_status: string; lease_owner: string | null }[]>`select sync_status, lease_owner from drive_files where id = ${recorded.job!.id}`;
        expect(row).toEqual({ sync_status: "synced", lease_owner: null });
      });
    } finally {
      await a.stop();
    }
  });
});

describe("transactionEndingWith", () => {
  it("sends the last statement with COMMIT, and commits nothing when it fails", async () => {
    await db.sql`create table if not exists ending_probe (n int primary key)`;
    await expect(
      transactionEndingWith(db.sql, async (tx) => {
        await tx`insert into ending_probe values (1)`;
        return { result: "x", last: tx`insert into ending_probe values (1)`.execute() };
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect(await db.sql`select n from ending_probe`).toHaveLength(0);
    expect(await transactionEndingWith(db.sql, async (tx) => ({ result: "ok", last: tx`insert into ending_probe values (2)`.execute() }))).toBe("ok");
    expect((await db.sql<{ n: number }[]>`select n from ending_probe`).map((r) => r.n)).toEqual([2]);
  });
});
