/**
 * PgIngestStore decides what an event means inside one SQL statement, planIngest decides it in TypeScript
 * (the locked fallback, and the unit tests): both must give the same outcome, reason and fresh try for
 * every stored state and event. Each case gets its own object, set up directly, then recorded once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgIngestStore } from "../../src/adapters/db/ingest-store.js";
import { planIngest, type IngestEvent, type StoredObjectState } from "../../src/core/ingest/plan-ingest.js";
import type { SyncStatus } from "../../src/core/jobs/job-types.js";
import { createTestDatabase, type TestDatabase } from "../harness/test-database.js";

let db: TestDatabase;
let store: PgIngestStore;
let botId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  store = new PgIngestStore(db.sql);
  botId = (await store.createBot("parity")).id;
});
afterAll(async () => {
  await db?.drop();
});

const SOURCE = "minio:s3 node-a";

function storedStates(): (StoredObjectState | null)[] {
  const states: (StoredObjectState | null)[] = [null];
  for (const present of [true, false])
    for (const etag of ["e1", null])
      for (const processedEtag of ["e1", "e2", null])
        for (const status of ["pending", "synced", "retry", "failed"] as SyncStatus[])
          for (const [sequencer, sequencerSource] of [["0000000000000005", SOURCE], ["0000000000000005", "other"], [null, null]] as const)
            states.push({ present, etag, processedEtag, status, sequencer, sequencerSource });
  return states;
}

function events(): IngestEvent[] {
  const list: IngestEvent[] = [];
  for (const action of ["upsert", "remove"] as const)
    for (const etag of action === "upsert" ? ["e1", "e2", undefined] : [undefined])
      for (const sequencer of ["0000000000000003", "0000000000000009", undefined])
        for (const sequencerSource of sequencer ? [SOURCE, undefined] : [undefined]) list.push({ action, etag, sequencer, sequencerSource });
  return list;
}

describe("the one-statement record decides as planIngest does", () => {
  it("for every stored state and event", async () => {
    let n = 0;
    const mismatches: unknown[] = [];
    for (const prev of storedStates()) {
      for (const event of events()) {
        const filePath = `parity.gbai/parity.gbot/case-${n++}.csv`;
        if (prev) {
          await db.sql`
            insert into drive_files (bot_id, file_path, file_type, present, etag, processed_etag, sync_status, sequencer, sequencer_source)
            values (${botId}, ${filePath}, 'config', ${prev.present}, ${prev.etag}, ${prev.processedEtag}, ${prev.status}, ${prev.sequencer}, ${prev.sequencerSource})`;
        }
        const expected = planIngest(prev, event);
        const got = await store.recordObjectEvent(
          { botId, filePath, kind: { name: "config", fileType: "config", lane: "fast" }, ...event },
          { source: "webhook", eventName: "s3:test", bucket: "parity.gbai", key: filePath },
        );
        if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push({ prev, event, expected, got });
        const [logged] = await db.sql<{ outcome: string; reason: string | null }[]>`
          select outcome, reason from botsync_events where file_path = ${filePath}`;
        const expectedReason = expected.outcome === "queued" ? null : expected.reason;
        if (logged?.outcome !== expected.outcome || logged.reason !== expectedReason) mismatches.push({ prev, event, expected, logged });
      }
    }
    expect(mismatches).toEqual([]);
    expect(n).toBeGreaterThan(1000);
  }, 120_000);
});
