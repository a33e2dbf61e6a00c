import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BotsyncError } from "../../src/core/errors.js";
import { classifyEventName, eventAction } from "../../src/core/events/event-names.js";
import { normaliseSequencer, parseNotification, type NotificationRecord } from "../../src/core/events/parse-notification.js";

const fixturesDir = new URL("../../webhooks/fixtures/", import.meta.url);
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(name, fixturesDir), "utf8"));

/** Expected records, written out by hand from the fixture files. */
const expected: Record<string, NotificationRecord[]> = {
  "put-config.json": [{
    eventName: "s3:ObjectCreated:Put", action: "upsert", bucket: "demo.gbai", key: "demo.gbot/config.csv",
    etag: "9b2cf535f27731c974343645a3985328", size: 1874, sequencer: "1898ACE27C26F497", eventTime: "2026-03-01T09:15:42.118Z",
  }],
  "delete-config.json": [{
    eventName: "s3:ObjectRemoved:Delete", action: "remove", bucket: "demo.gbai", key: "demo.gbot/config.csv",
    sequencer: "1898AD1F5AED9886", eventTime: "2026-03-01T09:20:03.551Z",
  }],
  "put-dialog.json": [{
    eventName: "s3:ObjectCreated:Put", action: "upsert", bucket: "demo.gbai", key: "demo.gbdialog/start.bas",
    etag: "e3b98a4da31a127d4bde6e43033f66ba", size: 612, sequencer: "1898ACE8FA57F727", eventTime: "2026-03-01T09:16:10.004Z",
  }],
  "put-kb-nested.json": [{
    eventName: "s3:ObjectCreated:Put", action: "upsert", bucket: "demo.gbai", key: "demo.gbkb/manuals/2026/guia do usuário+v2.pdf",
    etag: "0f343b0931126a20f133d67c2b018a3b", size: 248731, sequencer: "1898AD01980F43F3", eventTime: "2026-03-01T09:17:55.730Z",
  }],
  "put-tagging.json": [{
    eventName: "s3:ObjectCreated:PutTagging", action: "ignore", ignoreReason: "metadata-only change, object bytes unchanged",
    bucket: "demo.gbai", key: "demo.gbot/config.csv",
    etag: "9b2cf535f27731c974343645a3985328", size: 1874, sequencer: "1898ACE27C26F497", eventTime: "2026-03-01T09:30:00.250Z",
  }],
  "noop-delete.json": [{
    eventName: "s3:ObjectRemoved:NoOP", action: "ignore", ignoreReason: "delete of an object that did not exist",
    bucket: "demo.gbai", key: "demo.gbot/old-prompt.md", sequencer: "1898ADBB33377FD9", eventTime: "2026-03-01T09:31:12.900Z",
  }],
  "accessed-get.json": [{
    eventName: "s3:ObjectAccessed:Get", action: "ignore", ignoreReason: "read access, object unchanged",
    bucket: "demo.gbai", key: "demo.gbdialog/start.bas",
    etag: "e3b98a4da31a127d4bde6e43033f66ba", size: 612, sequencer: "1898ACE8FA57F727", eventTime: "2026-03-01T09:40:01.017Z",
  }],
  "delete-marker.json": [{
    eventName: "s3:ObjectRemoved:DeleteMarkerCreated", action: "remove", bucket: "salesianos.gbai", key: "salesianos.gbdialog/matricula.bas",
    versionId: "7c1e0f6a-3b2d-4e9a-9f41-2d8c5b7a6e13", sequencer: "18990B484B86FD56", eventTime: "2026-03-02T14:05:33.480Z",
  }],
  "put-other-bucket.json": [{
    eventName: "s3:ObjectCreated:Put", action: "upsert", bucket: "gbo", key: "incoming/2026-03-01/orders file.csv",
    etag: "9b2cf535f27731c974343645a3985328", size: 48213, sequencer: "1898ACE26F688F17", eventTime: "2026-03-01T09:15:42.118Z",
  }],
  "multipart.json": [{
    eventName: "s3:ObjectCreated:CompleteMultipartUpload", action: "upsert", bucket: "demo.gbai", key: "demo.gbkb/manuals/catalogo-2026.pdf",
    etag: "4dcfa64f9df3f07c87d46c8fb72ea6a9-2", size: 73400320, sequencer: "1898AF7449A4ABEA", eventTime: "2026-03-01T10:02:47.366Z",
  }],
  "ilm-expiry.json": [{
    eventName: "s3:ObjectRemoved:Delete", action: "remove", bucket: "demo.gbai", key: "demo.gbkb/archive/relatório 2024.pdf",
    sequencer: "182921D2CC639381", eventTime: "2026-03-03T00:00:12.004Z",
  }],
  "aws-multi-records.json": [
    {
      eventName: "ObjectCreated:Put", action: "upsert", bucket: "demo.gbai", key: "demo.gbot/config.csv",
      etag: "9b2cf535f27731c974343645a3985328", size: 1874, sequencer: "55AED6DCD90281E5", eventTime: "2026-03-01T11:00:00.101Z",
    },
    {
      eventName: "ObjectCreated:Copy", action: "upsert", bucket: "demo.gbai", key: "demo.gbdialog/my tool.bas",
      etag: "d41d8cd98f00b204e9800998ecf8427e", size: 230, sequencer: "55AED6DCD90281F2", eventTime: "2026-03-01T11:00:00.250Z",
    },
    {
      eventName: "ObjectRemoved:Delete", action: "remove", bucket: "demo.gbai", key: "demo.gbkb/faq/perguntas & respostas.md",
      sequencer: "55AED6DCD9028230", eventTime: "2026-03-01T11:00:01.003Z",
    },
  ],
};

function rejection(body: unknown): string {
  try {
    parseNotification(body);
  } catch (e) {
    expect(e).toBeInstanceOf(BotsyncError);
    expect((e as BotsyncError).code).toBe("INVALID_NOTIFICATION");
    return (e as BotsyncError).message;
  }
  throw new Error("expected parseNotification to throw");
}

/** A fresh MinIO-shaped body to mutate in rejection tests. */
const putConfig = (): any => fixture("put-config.json");

describe("fixtures", () => {
  it("every fixture file has an expectation and vice versa", () => {
    const files = readdirSync(fixturesDir).filter((f) => f.endsWith(".json")).sort();
    expect(files).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.keys(expected))("%s parses to the expected records", (name) => {
    expect(parseNotification(fixture(name))).toEqual(expected[name]);
  });

  it.each(Object.keys(expected).filter((n) => n !== "aws-multi-records.json"))("%s is in MinIO's exact shape", (name) => {
    const body = fixture(name) as any;
    expect(Object.keys(body)).toEqual(["EventName", "Key", "Records"]);
    expect(body.Records).toHaveLength(1);
    const r = body.Records[0];
    expect(Object.keys(r)).toEqual([
      "eventVersion", "eventSource", "awsRegion", "eventTime", "eventName", "userIdentity",
      "requestParameters", "responseElements", "s3", "source",
    ]);
    expect(r.eventVersion).toBe("2.0");
    expect(r.eventSource).toBe("minio:s3");
    expect(r.source.port).toBe("");
    expect(r.s3.object.key).not.toContain("/");
    expect(r.s3.object.key).not.toContain(" ");
    expect(r.s3.object.sequencer).toMatch(/^[0-9A-F]{16}$/);
    expect(r.s3.bucket.arn).toBe(`arn:aws:s3:::${r.s3.bucket.name}`);
    if (r.s3.object.eTag !== undefined) expect(r.s3.object.eTag).not.toMatch(/"/);
  });

  it("ilm-expiry has a null requestParameters and an internal user agent", () => {
    const r = (fixture("ilm-expiry.json") as any).Records[0];
    expect(r.requestParameters).toBeNull();
    expect(r.source.userAgent).toBe("Internal: [ILM-Expiry]");
  });
});

describe("parseNotification: tolerance", () => {
  it("accepts a record with only the fields it uses", () => {
    expect(parseNotification({ Records: [{ eventName: "ObjectCreated:Copy", s3: { bucket: { name: "demo.gbai" }, object: { key: "demo.gbot/config.csv" } } }] }))
      .toEqual([{ eventName: "ObjectCreated:Copy", action: "upsert", bucket: "demo.gbai", key: "demo.gbot/config.csv" }]);
  });

  it("strips quotes from eTag and treats null / empty optional fields as absent", () => {
    const body = putConfig();
    body.Records[0].s3.object.eTag = '"abc123"';
    body.Records[0].s3.object.versionId = "";
    body.Records[0].s3.object.size = null;
    body.Records[0].eventTime = null;
    body.Records[0].unknownField = { anything: [1, 2] };
    const [r] = parseNotification(body);
    expect(r).toEqual({
      eventName: "s3:ObjectCreated:Put", action: "upsert", bucket: "demo.gbai", key: "demo.gbot/config.csv",
      etag: "abc123", sequencer: "1898ACE27C26F497",
    });
  });

  it("accepts size 0", () => {
    const body = putConfig();
    body.Records[0].s3.object.size = 0;
    expect(parseNotification(body)[0]!.size).toBe(0);
  });

  it("normalises sequencers and drops non-hex ones", () => {
    expect(normaliseSequencer("17f1a2b3c4d")).toBe("0000017F1A2B3C4D");
    expect(normaliseSequencer("1898ACE26F688F17")).toBe("1898ACE26F688F17");
    expect(normaliseSequencer("0055AED6DCD90281E5")).toBe("55AED6DCD90281E5");
    expect(normaliseSequencer("not-hex")).toBeUndefined();
    expect(normaliseSequencer("")).toBeUndefined();
    expect(normaliseSequencer("1".repeat(17))).toBeUndefined();
    const body = putConfig();
    body.Records[0].s3.object.sequencer = "xyz";
    expect(parseNotification(body)[0]!.sequencer).toBeUndefined();
    body.Records[0].s3.object.sequencer = "abc";
    expect(parseNotification(body)[0]!.sequencer).toBe("0000000000000ABC");
  });

  it("normalised sequencers order as strings", () => {
    const a = normaliseSequencer("FFFFFFFFFF")!;
    const b = normaliseSequencer("10000000000")!;
    expect(a < b).toBe(true);
  });

  it("accepts exactly 1000 records", () => {
    const record = (fixture("aws-multi-records.json") as any).Records[0];
    expect(parseNotification({ Records: Array.from({ length: 1000 }, () => record) })).toHaveLength(1000);
  });

  it("checks the top-level Key against a decoded key with spaces, + and non-ASCII", () => {
    expect(parseNotification(fixture("put-kb-nested.json"))[0]!.key).toBe("demo.gbkb/manuals/2026/guia do usuário+v2.pdf");
  });
});

describe("parseNotification: rejections", () => {
  it.each([
    [null, "body: expected object, got null"],
    ["text", "body: expected object, got string"],
    [[], "body: expected object, got array"],
    [42, "body: expected object, got number"],
  ])("not an object: %j", (body, message) => {
    expect(rejection(body)).toBe(message);
  });

  it("Records missing / not an array / empty", () => {
    expect(rejection({})).toBe("Records: missing, expected array");
    expect(rejection({ Records: {} })).toBe("Records: expected array, got object");
    expect(rejection({ Records: null })).toBe("Records: expected array, got null");
    expect(rejection({ Records: [] })).toBe("Records: must not be empty");
  });

  it("more than 1000 records", () => {
    const record = (fixture("aws-multi-records.json") as any).Records[0];
    expect(rejection({ Records: Array.from({ length: 1001 }, () => record) })).toBe("Records: too many records (1001 > 1000)");
  });

  it("a record that is not an object", () => {
    expect(rejection({ Records: ["x"] })).toBe("Records[0]: expected object, got string");
  });

  it("record without s3.bucket.name", () => {
    const body = putConfig();
    delete body.Records[0].s3.bucket.name;
    expect(rejection(body)).toBe("Records[0].s3.bucket.name: missing, expected string");
    const aws = fixture("aws-multi-records.json") as any;
    delete aws.Records[2].s3.bucket;
    expect(rejection(aws)).toBe("Records[2].s3.bucket: missing, expected object");
  });

  it("missing eventName / s3 / s3.object", () => {
    let body = putConfig();
    delete body.Records[0].eventName;
    expect(rejection(body)).toBe("Records[0].eventName: missing, expected string");
    body = putConfig();
    body.Records[0].s3 = "x";
    expect(rejection(body)).toBe("Records[0].s3: expected object, got string");
    body = putConfig();
    delete body.Records[0].s3.object;
    expect(rejection(body)).toBe("Records[0].s3.object: missing, expected object");
  });

  it("key not a string", () => {
    const body = putConfig();
    body.Records[0].s3.object.key = 12;
    expect(rejection(body)).toBe("Records[0].s3.object.key: expected string, got number");
  });

  it("optional fields of the wrong type", () => {
    let body = putConfig();
    body.Records[0].s3.object.size = -1;
    expect(rejection(body)).toBe("Records[0].s3.object.size: expected a non-negative integer, got -1");
    body = putConfig();
    body.Records[0].s3.object.size = 1.5;
    expect(rejection(body)).toBe("Records[0].s3.object.size: expected a non-negative integer, got 1.5");
    body = putConfig();
    body.Records[0].s3.object.size = "1874";
    expect(rejection(body)).toBe("Records[0].s3.object.size: expected number, got string");
    body = putConfig();
    body.Records[0].s3.object.eTag = 5;
    expect(rejection(body)).toBe("Records[0].s3.object.eTag: expected string, got number");
    body = putConfig();
    body.Records[0].s3.object.sequencer = 123;
    expect(rejection(body)).toBe("Records[0].s3.object.sequencer: expected string, got number");
    body = putConfig();
    body.Records[0].s3.object.versionId = true;
    expect(rejection(body)).toBe("Records[0].s3.object.versionId: expected string, got boolean");
  });

  it("top-level Key that does not match the record", () => {
    const body = putConfig();
    body.Key = "demo.gbai/demo.gbot/other.csv";
    expect(rejection(body)).toMatch(/^Key: does not match Records\[0\] bucket\/key/);
    const escaped = putConfig();
    escaped.Key = "demo.gbai/demo.gbot%2Fconfig.csv"; // Key must be the decoded form
    expect(rejection(escaped)).toMatch(/^Key: does not match/);
    const notString = putConfig();
    notString.Key = ["demo.gbai/demo.gbot/config.csv"];
    expect(rejection(notString)).toBe("Key: expected string, got array");
  });

  it("top-level EventName that does not match the record", () => {
    const body = putConfig();
    body.EventName = "s3:ObjectRemoved:Delete";
    expect(rejection(body)).toMatch(/^EventName: does not match Records\[0\]\.eventName/);
  });

  it("a MinIO body (with Key) with more than one record", () => {
    const body = putConfig();
    body.Records.push(body.Records[0]);
    expect(rejection(body)).toBe("Records: a MinIO body (with Key) must have exactly one record, got 2");
  });

  it("bad percent escape", () => {
    const body = putConfig();
    body.Records[0].s3.object.key = "demo.gbkb%2F%E0%A4%A";
    delete body.Key;
    expect(rejection(body)).toMatch(/^Records\[0\]\.s3\.object\.key: not valid query-escaped UTF-8/);
  });

  it("giant key and bucket are refused quickly, before decoding", () => {
    const body = putConfig();
    body.Records[0].s3.object.key = "%2F".repeat(2_000_000);
    delete body.Key;
    const started = performance.now();
    expect(rejection(body)).toBe("Records[0].s3.object.key: too long (6000000 > 3072 characters)");
    expect(performance.now() - started).toBeLessThan(100);

    const bucket = putConfig();
    bucket.Records[0].s3.bucket.name = "b".repeat(64);
    expect(rejection(bucket)).toBe("Records[0].s3.bucket.name: too long (64 > 63 characters)");

    const name = putConfig();
    name.Records[0].eventName = "s3:".repeat(1000);
    name.EventName = name.Records[0].eventName;
    expect(rejection(name)).toMatch(/^(EventName|Records\[0\]\.eventName): too long/);
  });

  it("a key of exactly 3072 escaped characters is accepted", () => {
    const body = putConfig();
    body.Records[0].s3.object.key = "%2F".repeat(1024);
    delete body.Key;
    expect(parseNotification(body)[0]!.key).toBe("/".repeat(1024));
  });
});

describe("eventAction", () => {
  it.each([
    ["s3:ObjectCreated:Put", "upsert"],
    ["ObjectCreated:Put", "upsert"],
    ["s3:ObjectCreated:Post", "upsert"],
    ["s3:ObjectCreated:Copy", "upsert"],
    ["ObjectCreated:Copy", "upsert"],
    ["s3:ObjectCreated:CompleteMultipartUpload", "upsert"],
    ["ObjectCreated:CompleteMultipartUpload", "upsert"],
    ["s3:ObjectRemoved:Delete", "remove"],
    ["ObjectRemoved:Delete", "remove"],
    ["s3:ObjectRemoved:DeleteMarkerCreated", "remove"],
    ["ObjectRemoved:DeleteMarkerCreated", "remove"],
    ["s3:ObjectRemoved:DeleteAllVersions", "remove"],
    ["s3:LifecycleDelMarkerExpiration:Delete", "remove"],
    ["LifecycleExpiration:Delete", "remove"],
    ["s3:ObjectCreated:PutTagging", "ignore"],
    ["s3:ObjectCreated:DeleteTagging", "ignore"],
    ["s3:ObjectCreated:PutRetention", "ignore"],
    ["s3:ObjectCreated:PutLegalHold", "ignore"],
    ["s3:ObjectRemoved:NoOP", "ignore"],
    ["s3:ObjectAccessed:Get", "ignore"],
    ["s3:ObjectAccessed:Head", "ignore"],
    ["s3:ObjectAccessed:Attributes", "ignore"],
    ["s3:Replication:OperationFailedReplication", "ignore"],
    ["s3:ObjectRestore:Post", "ignore"],
    ["s3:ObjectRestore:Completed", "ignore"],
    ["s3:ObjectTransition:Complete", "ignore"],
    ["s3:Scanner:ManyVersions", "ignore"],
    ["s3:BucketCreated:*", "ignore"],
    ["s3:ObjectCreated:*", "ignore"],
    ["s3:objectcreated:put", "ignore"],
    ["ObjectCreated:Put ", "ignore"],
    ["", "ignore"],
    ["s3:Something:New", "ignore"],
  ])("%s → %s", (name, action) => {
    expect(eventAction(name)).toBe(action);
  });

  it("gives a reason for every ignore", () => {
    expect(classifyEventName("s3:ObjectCreated:PutTagging")).toEqual({ action: "ignore", reason: "metadata-only change, object bytes unchanged" });
    expect(classifyEventName("s3:ObjectRemoved:NoOP")).toEqual({ action: "ignore", reason: "delete of an object that did not exist" });
    expect(classifyEventName("s3:Something:New")).toEqual({ action: "ignore", reason: 'unknown event name "s3:Something:New"' });
    expect(classifyEventName("s3:ObjectCreated:Put")).toEqual({ action: "upsert" });
  });
});
