/**
 * Ordering of real notification bodies through parseNotification, ingestNotification and PostgreSQL: a
 * sequencer only orders events of one object from one source, and a new ETag is never dropped as stale.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgIngestStore } from "../../src/adapters/db/ingest-store.js";
import { JsonLogger } from "../../src/adapters/log/json-logger.js";
import { parseNotification } from "../../src/core/events/parse-notification.js";
import { ingestNotification, type IngestDeps } from "../../src/core/ingest/ingest-notification.js";
import { productionKinds } from "../harness/kinds.js";
import { fixture } from "../harness/fixtures.js";
import { createTestDatabase, type TestDatabase } from "../harness/test-database.js";

let db: TestDatabase;
let deps: IngestDeps;
const FILE = "demo.gbai/demo.gbot/config.csv";

beforeAll(async () => {
  db = await createTestDatabase();
  deps = {
    store: new PgIngestStore(db.sql),
    // the bucket of these fixtures is taken to exist: this test is about ordering, not about buckets
    drive: { bucketExists: async () => true },
    kinds: productionKinds({ only: ["config"] }),
    loadOnly: null,
    log: new JsonLogger({}, "error", () => {}),
  };
});
afterAll(async () => {
  await db?.drop();
});

/** A MinIO put/delete of demo.gbot/config.csv with the given sequencer and ETag. */
function minio(kind: "put" | "delete", sequencer: string, etag?: string): unknown {
  const body = structuredClone(fixture(kind === "put" ? "put-config" : "delete-config")) as any;
  body.Records[0].s3.object.sequencer = sequencer;
  if (etag !== undefined) body.Records[0].s3.object.eTag = etag;
  return body;
}

async function ingest(body: unknown): Promise<string> {
  const [result] = await ingestNotification(parseNotification(body), deps);
  return result!.outcome;
}

async function row(): Promise<{ sequencer: string | null; sequencer_source: string | null; present: boolean }> {
  const [r] = await db.sql<{ sequencer: string | null; sequencer_source: string | null; present: boolean }[]>`
    select sequencer, sequencer_source, present from drive_files where file_path = ${FILE}`;
  return r!;
}

/** What a successful job records: the ETag it read. */
async function processed(etag: string | null): Promise<void> {
  await db.sql`update drive_files set processed_etag = ${etag}, sync_status = 'synced' where file_path = ${FILE}`;
}

describe("ingest ordering across sources", () => {
  it("a notification with a huge sequencer does not make the next ones with a new ETag stale", async () => {
    // The AWS-shaped fixture's sequencer (55AED6DCD90281E5) is far above any 2026 MinIO ModTime.
    const aws = structuredClone(fixture("aws-multi-records")) as any;
    aws.Records = [aws.Records[0]];
    expect(await ingest(aws)).toBe("queued");
    await processed("9b2cf535f27731c974343645a3985328");
    expect(await row()).toMatchObject({ sequencer: "55AED6DCD90281E5", sequencer_source: "aws:s3" });

    // MinIO's sequencers for the same object are smaller, and from another source: they are not compared.
    expect(await ingest(minio("put", "1898ACE27C26F497", "etag-b"))).toBe("queued");
    await processed("etag-b");

    // A MinIO node whose clock ran ahead, then a smaller sequencer with a new ETag: still queued.
    expect(await ingest(minio("put", "F898ACE27C26F497", "etag-c"))).toBe("queued");
    await processed("etag-c");
    expect(await ingest(minio("put", "1898ACE30000F497", "etag-d"))).toBe("queued");
    await processed("etag-d");
    // The stored sequencer is the last queued one, so the ahead-running one no longer shadows a delete.
    expect(await row()).toMatchObject({ sequencer: "1898ACE30000F497", sequencer_source: "minio:s3 4a1c7b2e-9d3f-4b8e-a6c1-2f5e8d7b9c01" });
    expect(await ingest(minio("delete", "1898ACE40000F497"))).toBe("queued");
    expect((await row()).present).toBe(false);
  });

  it("an older event from the same source without a new ETag is still stale", async () => {
    expect(await ingest(minio("put", "1898ACE50000F497", "etag-e"))).toBe("queued");
    await processed("etag-e");
    expect(await ingest(minio("delete", "1898ACE40000F498"))).toBe("stale");
    expect(await ingest(minio("put", "1898ACE40000F499", "etag-e"))).toBe("stale");
    const [event] = await db.sql<{ outcome: string; reason: string }[]>`
      select outcome, reason from botsync_events where outcome = 'stale' order by id desc limit 1`;
    expect(event!.reason).toContain("minio:s3 4a1c7b2e-9d3f-4b8e-a6c1-2f5e8d7b9c01");
  });

  it("radosgw's events are ordered by the gateway's clock, not by their raw hex", async () => {
    // Captured from radosgw: put (…52.068 s) then delete (…52.329 s), same gateway process.
    expect(await ingest(fixture("ceph-put-config"))).toBe("queued");
    await processed("5758e4c4c0551e578ac7a194793408ad");
    expect(await ingest(fixture("ceph-delete-config"))).toBe("queued");
    expect(await row()).toMatchObject({ sequencer: "6B0CD55013A0ACEE", sequencer_source: "ceph:s3 100f-default-default", present: false });
    // The put delivered again after the delete (a persistent topic retries): stale, the removal stands.
    expect(await ingest(fixture("ceph-put-config"))).toBe("stale");
  });

  it("a record with a NUL is recorded as ignored, with the NUL shown as text", async () => {
    const body = structuredClone(fixture("ceph-put-config")) as any;
    body.Records[0].s3.object.key = "demo.gbot/con\u0000fig.csv";
    const [result] = await ingestNotification(parseNotification(body), deps);
    expect(result).toMatchObject({ outcome: "ignored", reason: "key contains a NUL character (U+0000), which PostgreSQL text cannot store" });
    const [event] = await db.sql<{ object_key: string }[]>`select object_key from botsync_events where outcome = 'ignored' order by id desc limit 1`;
    expect(event!.object_key).toBe("demo.gbot/con\\u0000fig.csv");
  });
});
