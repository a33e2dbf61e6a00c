import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture } from "../harness/fixtures.js";
import { startStack, WEBHOOK_TOKEN, type Stack } from "../harness/stack.js";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function eventCount(): Promise<number> {
  const [row] = await stack.db.sql<{ n: number }[]>`select count(*)::int as n from botsync_events`;
  return row!.n;
}

describe("POST /webhooks/minio: authentication", () => {
  it("rejects a missing token with 401 and records nothing", async () => {
    const before = await eventCount();
    const res = await stack.postWebhook(fixture("put-config"), null);
    expect(res.status).toBe(401);
    expect((await res.json<any>()).error.code).toBe("UNAUTHORIZED");
    expect(await eventCount()).toBe(before);
  });

  it("rejects a wrong token with 401 and records nothing", async () => {
    const before = await eventCount();
    const res = await stack.postWebhook(fixture("put-config"), "x".repeat(WEBHOOK_TOKEN.length));
    expect(res.status).toBe(401);
    expect(await eventCount()).toBe(before);
  });

  it("rejects three words or a bare token", async () => {
    for (const header of [`Bearer ${WEBHOOK_TOKEN} extra`, WEBHOOK_TOKEN, `Bearer`]) {
      const res = await fetch(`${stack.service.url}/webhooks/minio`, {
        method: "POST",
        headers: { authorization: header, "content-type": "application/json" },
        body: JSON.stringify(fixture("put-tagging")),
      });
      expect(res.status, header).toBe(401);
    }
  });

  it("accepts the two-word auth_token MinIO sends as it is", async () => {
    const res = await fetch(`${stack.service.url}/webhooks/minio`, {
      method: "POST",
      headers: { authorization: `Token ${WEBHOOK_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(fixture("put-tagging")),
    });
    expect(res.status).toBe(200);
  });

  it("checks the token before reading a large body", async () => {
    const res = await stack.postWebhook("x".repeat(2 * 1024 * 1024), "wrong-token-0123456789");
    expect(res.status).toBe(401);
  });
});

describe("POST /webhooks/minio: radosgw's push, which carries no Authorization header", () => {
  it("is accepted when every record's opaqueData is the webhook token, and refused (recording nothing) otherwise", async () => {
    await stack.createBucket("demo.gbai").catch(() => {});
    const ok = await stack.postWebhook(fixture("ceph-put-config"), null);
    expect(ok.status).toBe(200);
    expect((await ok.json<any>()).records[0]).toMatchObject({ key: "demo.gbot/config.csv", outcome: "queued" });

    const before = await eventCount();
    const wrong = fixture("ceph-put-config");
    wrong.Records[0].opaqueData = "x".repeat(WEBHOOK_TOKEN.length);
    const refused = await stack.postWebhook(wrong, null);
    expect(refused.status).toBe(401);
    expect((await refused.json<any>()).error.message).toBe("webhook token (opaqueData) is not valid");
    const missing = fixture("ceph-put-config");
    delete missing.Records[0].opaqueData;
    expect((await stack.postWebhook(missing, null)).status).toBe(401);
    // a header, when sent, is what counts: the right opaqueData does not rescue a wrong header
    expect((await stack.postWebhook(fixture("ceph-put-config"), "wrong-token-0123456789abc")).status).toBe(401);
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

describe("POST /webhooks/minio: bad bodies get a 4xx with a reason and record nothing", () => {
  it("413 for a body over 1 MiB", async () => {
    const before = await eventCount();
    const body = fixture("put-config");
    body.Records[0].responseElements.padding = "x".repeat(1024 * 1024);
    const res = await stack.postWebhook(body);
    expect(res.status).toBe(413);
    expect((await res.json<any>()).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await eventCount()).toBe(before);
  });

  it("400 for a body that is not JSON", async () => {
    const res = await stack.postWebhook("{not json");
    expect(res.status).toBe(400);
    const body = await res.json<any>();
    expect(body.error.code).toBe("INVALID_NOTIFICATION");
    expect(body.error.message).toMatch(/not JSON/);
  });

  it("400 naming the field for JSON that is not a notification", async () => {
    const before = await eventCount();
    const bad = fixture("put-config");
    bad.Records[0].s3.object.key = 42;
    const res = await stack.postWebhook(bad);
    expect(res.status).toBe(400);
    expect((await res.json<any>()).error.message).toMatch(/Records\[0\]\.s3\.object\.key/);
    const empty = await stack.postWebhook({ Records: [] });
    expect(empty.status).toBe(400);
    expect(await eventCount()).toBe(before);
  });
});

describe("POST /webhooks/minio: events that change nothing get 2xx and are recorded as ignored", () => {
  const cases: Array<[string, RegExp]> = [
    ["put-tagging", /PutTagging|metadata/i],
    ["noop-delete", /NoOP|did not exist/i],
    ["accessed-get", /Accessed|read/i],
    ["put-other-bucket", /gbai/],
  ];
  for (const [name, reason] of cases) {
    it(name, async () => {
      const res = await stack.postWebhook(fixture(name));
      expect(res.status).toBe(200);
      const body = await res.json<any>();
      expect(body.records).toHaveLength(1);
      expect(body.records[0].outcome).toBe("ignored");
      expect(body.records[0].reason).toMatch(reason);
      const [row] = await stack.db.sql`select outcome, reason from botsync_events order by id desc limit 1`;
      expect(row!.outcome).toBe("ignored");
      expect(row!.reason).toMatch(reason);
    });
  }

  it("a key no job handles (a prompt file) is ignored with the reason", async () => {
    const body = fixture("put-config");
    body.Key = "demo.gbai/demo.gbot/PROMPT.md";
    body.Records[0].s3.object.key = "demo.gbot%2FPROMPT.md";
    const res = await stack.postWebhook(body);
    expect(res.status).toBe(200);
    expect((await res.json<any>()).records[0]).toMatchObject({ outcome: "ignored", reason: "no job handles this key" });
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
});

describe("POST /webhooks/minio: the AWS/S3 shape with several records", () => {
  it("records each record", async () => {
    await stack.createBucket("demo.gbai").catch(() => {});
    const res = await stack.postWebhook(fixture("aws-multi-records"));
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.received).toBe(3);
    expect(body.records.map((r: { key: string; outcome: string }) => [r.key, r.outcome])).toEqual([
      ["demo.gbot/config.csv", "queued"],
      ["demo.gbdialog/my tool.bas", "queued"],
      ["demo.gbkb/faq/perguntas & respostas.md", "duplicate"], // a delete of an object never seen: nothing to remove
    ]);
  });
});
