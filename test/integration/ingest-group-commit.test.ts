/**
 * Group commit of the webhook's records (PgIngestStore's batcher) against real PostgreSQL: records submitted
 * together — several for the same object among them — end with the same outcomes, rows and event log as the
 * same records sent one after the other; and a failed statement fails every record of its batch, none of
 * them written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgIngestStore } from "../../src/adapters/db/ingest-store.js";
import type { EventMeta, ObjectSighting } from "../../src/core/ports/ingest-store.js";
import { createTestDatabase, type TestDatabase } from "../harness/test-database.js";

let db: TestDatabase;
let grouped: PgIngestStore;
let oneByOne: PgIngestStore;
let botId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  // A window long enough that everything submitted in the test lands in one batch.
  grouped = new PgIngestStore(db.sql, { groupCommit: { maxItems: 64, maxInFlight: 1, windowMs: 50 } });
  oneByOne = new PgIngestStore(db.sql, { groupCommit: { maxItems: 1, maxInFlight: 1 } });
  botId = (await grouped.createBot("grouped")).id;
});
afterAll(async () => {
  await db?.drop();
});

type Step = Pick<ObjectSighting, "action" | "etag" | "sequencer" | "sequencerSource"> & { object: string };

const SOURCE = "minio:s3 node-a";
/** Duplicates, removals, a stale event and a new ETag, for three objects, interleaved. */
const STEPS: Step[] = [
  { object: "a", action: "upsert", etag: "e1", sequencer: "0000000000000010", sequencerSource: SOURCE },
  { object: "a", action: "upsert", etag: "e1", sequencer: "0000000000000011", sequencerSource: SOURCE },
  { object: "b", action: "remove", sequencer: "0000000000000010", sequencerSource: SOURCE },
  { object: "a", action: "upsert", etag: "e2", sequencer: "0000000000000012", sequencerSource: SOURCE },
  { object: "c", action: "upsert", etag: "c1", sequencer: "0000000000000010", sequencerSource: SOURCE },
  { object: "a", action: "remove", sequencer: "0000000000000013", sequencerSource: SOURCE },
  { object: "c", action: "upsert", etag: "c1", sequencer: "0000000000000011", sequencerSource: SOURCE },
  { object: "a", action: "remove", sequencer: "0000000000000014", sequencerSource: SOURCE },
  { object: "b", action: "upsert", etag: "b1", sequencer: "0000000000000011", sequencerSource: SOURCE },
  { object: "a", action: "upsert", sequencer: "0000000000000001", sequencerSource: SOURCE },
  { object: "b", action: "upsert", etag: "b1" },
  { object: "a", action: "upsert", etag: "e3", sequencer: "0000000000000015", sequencerSource: SOURCE },
];

function record(prefix: string, step: Step): [ObjectSighting, EventMeta] {
  const filePath = `grouped.gbai/grouped.gbot/${prefix}-${step.object}.csv`;
  const { object: _object, ...event } = step;
  return [
    { botId, filePath, kind: { name: "config", fileType: "config", lane: "fast" }, ...event },
    { source: "webhook", eventName: "s3:test", bucket: "grouped.gbai", key: filePath, etag: step.etag, sequencer: step.sequencer },
  ];
}

/** The rows, and each object's event log in order (the records of different objects in one batch are logged in rounds). */
async function state(prefix: string) {
  const rows = await db.sql`
    select regexp_replace(file_path, '.*-', '') as object, present, etag, sync_status, sequencer, revision::int, attempts
    from drive_files where file_path like ${`grouped.gbai/grouped.gbot/${prefix}-%`} order by file_path`;
  const events = await db.sql`
    select regexp_replace(file_path, '.*-', '') as object, etag, sequencer, outcome, reason
    from botsync_events where file_path like ${`grouped.gbai/grouped.gbot/${prefix}-%`} order by file_path, id`;
  return { rows: [...rows], events: [...events] };
}

describe("PgIngestStore's group commit", () => {
  it("records submitted together give the same outcomes, rows and event log as one after the other", async () => {
    const sequential = [];
    for (const step of STEPS) sequential.push(await oneByOne.recordObjectEvent(...record("seq", step)));
    const together = await Promise.all(STEPS.map((step) => grouped.recordObjectEvent(...record("grp", step))));

    expect(together).toEqual(sequential);
    expect(together.map((r) => r.outcome)).toEqual([
      "queued", "duplicate", "duplicate", "queued", "queued", "queued", "duplicate", "duplicate", "queued", "stale", "duplicate", "queued",
    ]);
    expect(await state("grp")).toEqual(await state("seq"));
  });

  it("a failed statement fails every record of its batch, and none of them is written", async () => {
    const steps: Step[] = [
      { object: "x", action: "upsert", etag: "x1" },
      { object: "y", action: "upsert", etag: "y1" },
    ];
    // A bot id that does not exist breaks the statement's foreign key: the whole batch fails together.
    const broken = record("fail", { object: "z", action: "upsert", etag: "z1" });
    broken[0] = { ...broken[0], botId: "00000000-0000-0000-0000-000000000000" };
    const results = await Promise.allSettled([
      ...steps.map((step) => grouped.recordObjectEvent(...record("fail", step))),
      grouped.recordObjectEvent(...broken),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    const reasons = results.map((r) => (r as PromiseRejectedResult).reason);
    expect(reasons[0]).toBe(reasons[1]);
    expect(reasons[1]).toBe(reasons[2]);
    expect(await state("fail")).toEqual({ rows: [], events: [] });
  });
});
