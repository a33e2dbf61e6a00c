/**
 * POST /webhooks/minio on the running service, against PostgreSQL: what reaches the database. The token
 * rules, body validation and status codes are the handler's and tested in process (src/handlers/webhook.test.ts);
 * here a refused request must leave no row, an ignored event must leave exactly its event-log row, and the
 * Node server's own behaviour (keep-alive, a large body refused unread) is checked on the wire.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture } from "../harness/fixtures.js";
import { startStack, WEBHOOK_TOKEN, type Stack } from "../harness/stack.js";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  await stack.createBucket("demo.gbai");
});
afterAll(async () => {
  await stack?.close();
});

async function eventCount(): Promise<number> {
  const [row] = await stack.db.sql<{ n: number }[]>`select count(*)::int as n from botsync_events`;
  return row!.n;
}

describe("POST /webhooks/minio: refused requests record nothing", () => {
  it("a missing or wrong token, a body that is not a notification, a body over 1 MiB", async () => {
    const before = await eventCount();
    expect((await stack.postWebhook(fixture("put-config"), null)).status).toBe(401);
    expect((await stack.postWebhook(fixture("put-config"), "x".repeat(WEBHOOK_TOKEN.length))).status).toBe(401);
    const bad = fixture("put-config");
    bad.Records[0].s3.object.key = 42;
    expect((await stack.postWebhook(bad)).status).toBe(400);
    const large = fixture("put-config");
    large.Records[0].responseElements.padding = "x".repeat(1024 * 1024);
    expect((await stack.postWebhook(large)).status).toBe(413);
    expect(await eventCount()).toBe(before);
  });

  it("a wrong token is refused before a large body is read, and the connection is closed", async () => {
    const res = await stack.postWebhook("x".repeat(2 * 1024 * 1024), "wrong-token-0123456789");
    expect(res.status).toBe(401);
    expect(res.headers.get("connection")).toBe("close");
  });
});

describe("POST /webhooks/minio: radosgw's push, which carries no Authorization header", () => {
  it("is recorded when its opaqueData is the webhook token, and refused (recording nothing) otherwise", async () => {
    const ok = await stack.postWebhook(fixture("ceph-put-config"), null);
    expect(ok.status).toBe(200);
    expect((await ok.json<any>()).records[0]).toMatchObject({ key: "demo.gbot/config.csv", outcome: "queued" });
    const [row] = await stack.db.sql`select outcome from botsync_events where event_name = 'ObjectCreated:Put' order by id desc limit 1`;
    expect(row).toEqual({ outcome: "queued" });

    const before = await eventCount();
    const wrong = fixture("ceph-put-config");
    wrong.Records[0].opaqueData = "x".repeat(WEBHOOK_TOKEN.length);
    expect((await stack.postWebhook(wrong, null)).status).toBe(401);
    expect(await eventCount()).toBe(before);
  });
});

describe("HTTP connections", () => {
  it("stay open when idle for at least 65 s, longer than MinIO's client keeps them", async () => {
    const res = await stack.postWebhook(fixture("put-tagging"));
    expect(res.status).toBe(200);
    const timeout = Number(/timeout=(\d+)/.exec(res.headers.get("keep-alive") ?? "")?.[1]);
    expect(timeout).toBeGreaterThanOrEqual(65);
  });
});

describe("POST /webhooks/minio: what reaches the database", () => {
  it("an event that changes nothing is answered 2xx and kept in the event log with its reason", async () => {
    const res = await stack.postWebhook(fixture("put-tagging"));
    expect(res.status).toBe(200);
    const reason = (await res.json<any>()).records[0].reason;
    expect(reason).toMatch(/PutTagging|metadata/i);
    const [row] = await stack.db.sql`select outcome, reason from botsync_events order by id desc limit 1`;
    expect(row).toEqual({ outcome: "ignored", reason });
  });

  it("a hostile key is ignored with a reason and never reaches drive_files", async () => {
    const body = fixture("put-config");
    body.Key = "demo.gbai/demo.gbot/../../etc/passwd";
    body.Records[0].s3.object.key = "demo.gbot%2F..%2F..%2Fetc%2Fpasswd";
    const res = await stack.postWebhook(body);
    expect(res.status).toBe(200);
    const record = (await res.json<any>()).records[0];
    expect(record.outcome).toBe("ignored");
    expect(record.reason).toMatch(/\.\./);
    const rows = await stack.db.sql`select 1 from drive_files where file_path like '%passwd%'`;
    expect(rows).toHaveLength(0);
  });

  it("a bucket that is not a valid bot name is ignored and creates no bot", async () => {
    const body = fixture("put-config");
    body.Key = "Bad_Bot.gbai/x.gbot/config.csv";
    body.Records[0].s3.bucket.name = "Bad_Bot.gbai";
    body.Records[0].s3.object.key = "x.gbot%2Fconfig.csv";
    const res = await stack.postWebhook(body);
    expect(res.status).toBe(200);
    expect((await res.json<any>()).records[0].outcome).toBe("ignored");
    const bots = await stack.db.sql`select 1 from bots where name ilike 'bad%'`;
    expect(bots).toHaveLength(0);
  });

  it("records each record of an AWS-shaped body; a delete of an object never seen is a duplicate", async () => {
    const body = fixture("aws-multi-records");
    // its own bot, so what other tests queued for demo does not count
    const bucket = "multi.gbai";
    await stack.createBucket(bucket);
    for (const record of body.Records) {
      record.s3.bucket.name = bucket;
      record.s3.object.key = record.s3.object.key.replace(/^demo\./, "multi.");
    }
    const res = await stack.postWebhook(body);
    expect(res.status).toBe(200);
    const answer = await res.json<any>();
    expect(answer.received).toBe(3);
    expect(answer.records.map((r: { key: string; outcome: string }) => [r.key, r.outcome])).toEqual([
      ["multi.gbot/config.csv", "queued"],
      ["multi.gbdialog/my tool.bas", "queued"],
      ["multi.gbkb/faq/perguntas & respostas.md", "duplicate"],
    ]);
    const logged = await stack.db.sql`select object_key as key, outcome from botsync_events where bucket = ${bucket} order by id`;
    expect(logged.map((e) => [e.key, e.outcome])).toEqual(answer.records.map((r: { key: string; outcome: string }) => [r.key, r.outcome]));
  });
});
