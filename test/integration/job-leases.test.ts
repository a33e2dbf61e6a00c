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
import type { Tx } from "../../src/adapters/db/connect.js";
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
