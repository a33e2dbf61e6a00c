import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BotsyncError } from "../../src/core/errors.js";
import { classifyEventName, eventAction } from "../../src/core/events/event-names.js";
import {
  normaliseCephSequencer,
  normaliseSequencer,
  notificationOpaqueData,
  parseNotification,
  type NotificationRecord,
} from "../../src/core/events/parse-notification.js";

const fixturesDir = new URL("../../webhooks/fixtures/", import.meta.url);
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(name, fixturesDir), "utf8"));

/** What every record of the MinIO fixtures says about its origin (one deployment). */
const MINIO = { eventSource: "minio:s3", sequencerSource: "minio:s3 4a1c7b2e-9d3f-4b8e-a6c1-2f5e8d7b9c01" };
const AWS = { eventSource: "aws:s3", sequencerSource: "aws:s3" };
/** radosgw 16.2.15, gateway instance 100f, zone and zonegroup "default"; the topic's OpaqueData. */
const CEPH = { eventSource: "ceph:s3", sequencerSource: "ceph:s3 100f-default-default", opaqueData: "test-webhook-token-0123456789" };

/** Expected records, written out by hand from the fixture files. */
const expected: Record<string, NotificationRecord[]> = {
  "put-config.json": [{
    ...MINIO, eventName: "s3:ObjectCreated:Put", action: "upsert", bucket: "demo.gbai", key: "demo.gbot/config.csv",
    etag: "9b2cf535f27731c974343645a3985328", size: 1874, sequencer: "1898ACE27C26F497", eventTime: "2026-03-01T09:15:42.118Z",
  }],
  "delete-config.json": [{
    ...MINIO, eventName: "s3:ObjectRemoved:Delete", action: "remove", bucket: "demo.gbai", key: "demo.gbot/config.csv",
    sequencer: "1898AD1F5AED9886", eventTime: "2026-03-01T09:20:03.551Z",
  }],
  "put-dialog.json": [{
    ...MINIO, eventName: "s3:ObjectCreated:Put", action: "upsert", bucket: "demo.gbai", key: "demo.gbdialog/start.bas",
    etag: "e3b98a4da31a127d4bde6e43033f66ba", size: 612, sequencer: "1898ACE8FA57F727", eventTime: "2026-03-01T09:16:10.004Z",
  }],
  "put-kb-nested.json": [{
    ...MINIO, eventName: "s3:ObjectCreated:Put", action: "upsert", bucket: "demo.gbai", key: "demo.gbkb/manuals/2026/guia do usuário+v2.pdf",
    etag: "0f343b0931126a20f133d67c2b018a3b", size: 248731, sequencer: "1898AD01980F43F3", eventTime: "2026-03-01T09:17:55.730Z",
  }],
  "put-tagging.json": [{
    ...MINIO, eventName: "s3:ObjectCreated:PutTagging", action: "ignore", ignoreReason: "metadata-only change, object bytes unchanged",
    bucket: "demo.gbai", key: "demo.gbot/config.csv",
    etag: "9b2cf535f27731c974343645a3985328", size: 1874, sequencer: "1898ACE27C26F497", eventTime: "2026-03-01T09:30:00.250Z",
  }],
  "noop-delete.json": [{
    ...MINIO, eventName: "s3:ObjectRemoved:NoOP", action: "ignore", ignoreReason: "delete of an object that did not exist",
    bucket: "demo.gbai", key: "demo.gbot/old-prompt.md", sequencer: "1898ADBB33377FD9", eventTime: "2026-03-01T09:31:12.900Z",
  }],
  "accessed-get.json": [{
    ...MINIO, eventName: "s3:ObjectAccessed:Get", action: "ignore", ignoreReason: "read access, object unchanged",
    bucket: "demo.gbai", key: "demo.gbdialog/start.bas",
    etag: "e3b98a4da31a127d4bde6e43033f66ba", size: 612, sequencer: "1898ACE8FA57F727", eventTime: "2026-03-01T09:40:01.017Z",
  }],
  "delete-marker.json": [{
    ...MINIO, eventName: "s3:ObjectRemoved:DeleteMarkerCreated", action: "remove", bucket: "salesianos.gbai", key: "salesianos.gbdialog/matricula.bas",
    versionId: "7c1e0f6a-3b2d-4e9a-9f41-2d8c5b7a6e13", sequencer: "18990B484B86FD56", eventTime: "2026-03-02T14:05:33.480Z",
  }],
  "put-other-bucket.json": [{
    ...MINIO, eventName: "s3:ObjectCreated:Put", action: "upsert", bucket: "gbo", key: "incoming/2026-03-01/orders file.csv",
    etag: "9b2cf535f27731c974343645a3985328", size: 48213, sequencer: "1898ACE26F688F17", eventTime: "2026-03-01T09:15:42.118Z",
  }],
  "multipart.json": [{
    ...MINIO, eventName: "s3:ObjectCreated:CompleteMultipartUpload", action: "upsert", bucket: "demo.gbai", key: "demo.gbkb/manuals/catalogo-2026.pdf",
    etag: "4dcfa64f9df3f07c87d46c8fb72ea6a9-2", size: 73400320, sequencer: "1898AF7449A4ABEA", eventTime: "2026-03-01T10:02:47.366Z",
  }],
  "ilm-expiry.json": [{
    ...MINIO, eventName: "s3:ObjectRemoved:Delete", action: "remove", bucket: "demo.gbai", key: "demo.gbkb/archive/relatório 2024.pdf",
    sequencer: "182921D2CC639381", eventTime: "2026-03-03T00:00:12.004Z",
  }],
  "ceph-put-config.json": [{
    ...CEPH, eventName: "ObjectCreated:Put", action: "upsert", bucket: "demo.gbai", key: "demo.gbot/config.csv",
    etag: "5758e4c4c0551e578ac7a194793408ad", size: 11, sequencer: "6B0CD550042FD072", eventTime: "2026-11-30T01:45:52.068036Z",
  }],
  "ceph-copy-kb.json": [{
    ...CEPH, eventName: "ObjectCreated:Copy", action: "upsert", bucket: "demo.gbai", key: "demo.gbkb/guia do usuário+v2.md",
    etag: "5758e4c4c0551e578ac7a194793408ad", size: 11, sequencer: "6B0CD5500517BC9F", eventTime: "2026-11-30T01:45:52.084278Z",
  }],
  "ceph-multipart.json": [{
    ...CEPH, eventName: "ObjectCreated:CompleteMultipartUpload", action: "upsert", bucket: "demo.gbai", key: "demo.gbkb/big.txt",
    etag: "30dcfd3901d1c613b7fb532281748544-2", size: 5242884, sequencer: "6B0CD550109CDFB1", eventTime: "2026-11-30T01:45:52.278711Z",
  }],
  "ceph-delete-config.json": [{
    ...CEPH, eventName: "ObjectRemoved:Delete", action: "remove", bucket: "demo.gbai", key: "demo.gbot/config.csv",
    etag: "5758e4c4c0551e578ac7a194793408ad", size: 11, sequencer: "6B0CD55013A0ACEE", eventTime: "2026-11-30T01:45:52.329291Z",
  }],
  "aws-multi-records.json": [
    {
      ...AWS, eventName: "ObjectCreated:Put", action: "upsert", bucket: "demo.gbai", key: "demo.gbot/config.csv",
      etag: "9b2cf535f27731c974343645a3985328", size: 1874, sequencer: "55AED6DCD90281E5", eventTime: "2026-03-01T11:00:00.101Z",
    },
    {
      ...AWS, eventName: "ObjectCreated:Copy", action: "upsert", bucket: "demo.gbai", key: "demo.gbdialog/my tool.bas",
      etag: "d41d8cd98f00b204e9800998ecf8427e", size: 230, sequencer: "55AED6DCD90281F2", eventTime: "2026-03-01T11:00:00.250Z",
    },
    {
      ...AWS, eventName: "ObjectRemoved:Delete", action: "remove", bucket: "demo.gbai", key: "demo.gbkb/faq/perguntas & respostas.md",
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

  const minioFixtures = Object.keys(expected).filter((n) => n !== "aws-multi-records.json" && !n.startsWith("ceph-"));
  it.each(minioFixtures)("%s is in MinIO's exact shape", (name) => {
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
      ...MINIO, eventName: "s3:ObjectCreated:Put", action: "upsert", bucket: "demo.gbai", key: "demo.gbot/config.csv",
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

describe("parseNotification: Ceph RADOS Gateway", () => {
  const ceph = (name = "ceph-put-config.json"): any => fixture(name);

  it("takes radosgw's key as sent: neither + nor %XX is decoded", () => {
    const body = ceph();
    body.Records[0].s3.object.key = "demo.gbkb/a+b%2Fc 100%.md";
    expect(parseNotification(body)[0]!.key).toBe("demo.gbkb/a+b%2Fc 100%.md");
    // MinIO's escaping is still undone for MinIO bodies.
    const minio = putConfig();
    minio.Records[0].s3.object.key = "demo.gbkb%2Fa%2Bb+c.md";
    delete minio.Key;
    expect(parseNotification(minio)[0]!.key).toBe("demo.gbkb/a+b c.md");
  });

  it("reorders radosgw's sequencer (seconds, nanoseconds; little-endian) into a time that compares", () => {
    expect(normaliseCephSequencer("50D50C6B72D02F04")).toBe("6B0CD550042FD072");
    expect(normaliseCephSequencer("50d50c6b72d02f04")).toBe("6B0CD550042FD072");
    expect(normaliseCephSequencer("50D50C6B72D02F")).toBeUndefined();
    expect(normaliseCephSequencer("not-hex-not-hex!")).toBeUndefined();
    // The four captured events happened in this order; their raw sequencers do not sort that way.
    const order = ["ceph-put-config.json", "ceph-copy-kb.json", "ceph-multipart.json", "ceph-delete-config.json"];
    const raw = order.map((n) => ceph(n).Records[0].s3.object.sequencer as string);
    const parsed = order.map((n) => parseNotification(ceph(n))[0]!.sequencer!);
    expect([...parsed].sort()).toEqual(parsed);
    expect(raw[0]).not.toBe(parsed[0]);
    // One second later, across a 256 s boundary: the raw hex goes down, the reordered value goes up.
    const before = "FFD50C6B00E9A435"; // 0x6B0CD5FF s + 0.9 s
    const after = "00D60C6B00E1F505"; // 0x6B0CD600 s + 0.1 s
    expect(after < before).toBe(true);
    expect(normaliseCephSequencer(after)! > normaliseCephSequencer(before)!).toBe(true);
    // eventTime, in seconds and nanoseconds, is what the reordered sequencer spells.
    const [sec, nsec] = [Number.parseInt(parsed[0]!.slice(0, 8), 16), Number.parseInt(parsed[0]!.slice(8), 16)];
    expect(new Date(sec * 1000).toISOString().slice(0, 19)).toBe("2026-11-30T01:45:52");
    expect(nsec).toBe(70_242_418);
  });

  it("exposes opaqueData, and notificationOpaqueData reads it without a full parse", () => {
    expect(parseNotification(ceph())[0]!.opaqueData).toBe("test-webhook-token-0123456789");
    expect(notificationOpaqueData(ceph())).toBe("test-webhook-token-0123456789");
    expect(notificationOpaqueData(putConfig())).toBeUndefined();
    const two = ceph();
    two.Records.push({ ...two.Records[0], opaqueData: "another-token-0123456789" });
    expect(notificationOpaqueData(two)).toBeUndefined();
    const partial = ceph();
    partial.Records.push({ ...partial.Records[0], opaqueData: undefined });
    expect(notificationOpaqueData(partial)).toBeUndefined();
    for (const junk of [null, "x", [], {}, { Records: [] }, { Records: [null] }, { Records: [{ opaqueData: 5 }] }, { Records: [{ opaqueData: "" }] }]) {
      expect(notificationOpaqueData(junk)).toBeUndefined();
    }
  });

  it("rejects an opaqueData that is not a string, like any other mistyped field", () => {
    const body = ceph();
    body.Records[0].opaqueData = { token: "x" };
    expect(rejection(body)).toBe("Records[0].opaqueData: expected string, got object");
  });

  it("scopes sequencers: MinIO per deployment, radosgw per gateway process, others per eventSource", () => {
    const minio = putConfig();
    minio.Records[0].responseElements["x-minio-deployment-id"] = "other-deployment";
    expect(parseNotification(minio)[0]!.sequencerSource).toBe("minio:s3 other-deployment");
    delete minio.Records[0].responseElements["x-minio-deployment-id"];
    expect(parseNotification(minio)[0]!.sequencerSource).toBe("minio:s3");
    const gateway = ceph();
    gateway.Records[0].responseElements["x-amz-id-2"] = "1a2b-default-default";
    expect(parseNotification(gateway)[0]!.sequencerSource).toBe("ceph:s3 1a2b-default-default");
    const bare = { Records: [{ eventName: "ObjectCreated:Put", s3: { bucket: { name: "demo.gbai" }, object: { key: "k", sequencer: "0A" } } }] };
    expect(parseNotification(bare)[0]).toMatchObject({ sequencer: "000000000000000A", sequencerSource: "unknown" });
    // No usable sequencer, no source.
    const none = putConfig();
    none.Records[0].s3.object.sequencer = "zz";
    expect(parseNotification(none)[0]).not.toHaveProperty("sequencerSource");
  });
});

describe("parseNotification: text PostgreSQL cannot store", () => {
  const NUL = "\u0000";

  it.each([
    ["bucket", (b: any) => { b.Records[0].s3.bucket.name = `demo${NUL}.gbai`; }],
    ["key", (b: any) => { b.Records[0].s3.object.key = "demo.gbot%2Fconfig%00.csv"; }],
    ["eventName", (b: any) => { b.Records[0].eventName = `s3:ObjectCreated:Put${NUL}`; }],
    ["etag", (b: any) => { b.Records[0].s3.object.eTag = `abc${NUL}`; }],
    ["sequencer", (b: any) => { b.Records[0].s3.object.sequencer = `1898${NUL}`; }],
  ])("a NUL in %s: the record is ignored with a reason, not rejected", (field, spoil) => {
    const body = putConfig();
    delete body.Key;
    delete body.EventName;
    spoil(body);
    const [r] = parseNotification(body);
    expect(r!.action).toBe("ignore");
    expect(r!.ignoreReason).toBe(`${field} contains a NUL character (U+0000), which PostgreSQL text cannot store`);
    expect(Object.values(r!).some((v) => typeof v === "string" && v.includes(NUL))).toBe(false);
  });

  it("shows the NUL as text and keeps the rest of the record", () => {
    const body = putConfig();
    body.Records[0].s3.object.key = "demo.gbot%2Fa%00b.csv";
    body.Key = `demo.gbai/demo.gbot/a${NUL}b.csv`; // MinIO's Key is decoded, NUL and all; it still matches
    const [r] = parseNotification(body);
    expect(r).toEqual({
      ...MINIO, eventName: "s3:ObjectCreated:Put", action: "ignore", bucket: "demo.gbai", key: "demo.gbot/a\\u0000b.csv",
      ignoreReason: "key contains a NUL character (U+0000), which PostgreSQL text cannot store",
      etag: "9b2cf535f27731c974343645a3985328", size: 1874, sequencer: "1898ACE27C26F497", eventTime: "2026-03-01T09:15:42.118Z",
    });
  });

  it("names every field that has one, and drops a sequencer that has one", () => {
    const body = putConfig();
    delete body.Key;
    delete body.EventName;
    body.Records[0].s3.bucket.name = `x${NUL}`;
    body.Records[0].s3.object.sequencer = NUL;
    const [r] = parseNotification(body);
    expect(r!.ignoreReason).toMatch(/^bucket, sequencer contains a NUL/);
    expect(r).not.toHaveProperty("sequencer");
    expect(r).not.toHaveProperty("sequencerSource");
  });

  it("a NUL elsewhere in a record that is otherwise fine is not stored, so the record is kept", () => {
    const body = putConfig();
    body.Records[0].responseElements["x-minio-deployment-id"] = `dep${NUL}`;
    const [r] = parseNotification(body);
    expect(r!.action).toBe("upsert");
    expect(r!.sequencerSource).toBe("minio:s3 dep\\u0000");
  });

  it("other invalid input is still rejected", () => {
    const body = putConfig();
    body.Records[0].s3.object.key = `demo.gbot%2F${NUL}%E0%A4%A`;
    delete body.Key;
    expect(rejection(body)).toMatch(/^Records\[0\]\.s3\.object\.key: not valid query-escaped UTF-8/);
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
