import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authorizationHeader,
  createMinioNotifier,
  createSequencer,
  minioBody,
  type MinioWebhookBody,
} from "../../src/adapters/embedded/minio-notifier.js";
import { startEmbeddedPostgres } from "../../src/adapters/embedded/pglite-server.js";
import { startEmbeddedS3, type EmbeddedS3, type S3ObjectEvent } from "../../src/adapters/embedded/s3-server.js";

const md5 = (b: Buffer | string) => createHash("md5").update(b).digest("hex");
const SEQ = /^[0-9A-F]{16}$/;

async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `botsync-${prefix}-`));
}

describe("embedded S3 (s3rver)", () => {
  let dir: string;
  let s3: EmbeddedS3;
  let client: S3Client;
  const events: S3ObjectEvent[] = [];

  beforeAll(async () => {
    dir = await tempDir("s3");
    s3 = await startEmbeddedS3({ directory: dir, port: 0, onEvent: (e) => events.push(e) });
    client = new S3Client({
      region: "us-east-1",
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    await client.send(new CreateBucketCommand({ Bucket: "demo.gbai" }));
  });

  afterAll(async () => {
    client?.destroy();
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("exposes endpoint, port and the s3rver credentials", () => {
    expect(s3.port).toBeGreaterThan(0);
    expect(s3.endpoint).toBe(`http://127.0.0.1:${s3.port}`);
    expect([s3.accessKeyId, s3.secretAccessKey]).toEqual(["S3RVER", "S3RVER"]);
  });

  it("reports put, copy and delete with raw keys, unquoted MD5 etags and sizes", async () => {
    events.length = 0;
    const key = "demo.gbkb/docs/a b+c ü.txt";
    const copyKey = "demo.gbkb/docs/copy of a+b ü.txt";
    const bytes = Buffer.from("hello wörld\n", "utf8");

    const put = await client.send(new PutObjectCommand({ Bucket: "demo.gbai", Key: key, Body: bytes, ContentType: "text/plain" }));
    expect(put.ETag).toBe(`"${md5(bytes)}"`);
    // s3rver decodes x-amz-copy-source with decodeURI: `+` must stay literal, only spaces/non-ASCII escaped.
    await client.send(new CopyObjectCommand({ Bucket: "demo.gbai", Key: copyKey, CopySource: encodeURI(`demo.gbai/${key}`) }));
    await client.send(new DeleteObjectCommand({ Bucket: "demo.gbai", Key: key }));
    await client.send(new DeleteObjectCommand({ Bucket: "demo.gbai", Key: "never/existed.txt" }));
    await s3.idle();

    expect(events).toEqual([
      { eventName: "s3:ObjectCreated:Put", bucket: "demo.gbai", key, etag: md5(bytes), size: bytes.length, contentType: "text/plain", eventTime: expect.any(String) },
      { eventName: "s3:ObjectCreated:Copy", bucket: "demo.gbai", key: copyKey, etag: md5(bytes), size: bytes.length, contentType: "text/plain", eventTime: expect.any(String) },
      // Deleting a missing key emits nothing (MinIO would send ObjectRemoved:NoOP).
      { eventName: "s3:ObjectRemoved:Delete", bucket: "demo.gbai", key, eventTime: expect.any(String) },
    ]);
    for (const e of events) expect(e.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("documents s3rver quirks: multipart completes as ObjectCreated:Post, DeleteObjects emits nothing", async () => {
    events.length = 0;
    const Bucket = "demo.gbai";
    const Key = "demo.gbkb/big file.bin";
    const part1 = Buffer.alloc(5 * 1024 * 1024, 7);
    const part2 = Buffer.from("tail");
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const p1 = await client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: part1 }));
    const p2 = await client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: part2 }));
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] },
      }),
    );
    await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key }] } }));
    await s3.idle();
    expect(events).toEqual([
      {
        eventName: "s3:ObjectCreated:Post",
        bucket: Bucket,
        key: Key,
        // Plain MD5 of the whole object, not MinIO's md5-of-md5s "-2".
        etag: md5(Buffer.concat([part1, part2])),
        size: part1.length + part2.length,
        contentType: "binary/octet-stream",
        eventTime: expect.any(String),
      },
    ]);
  });

  it("rejects with a clear message when the port is taken", async () => {
    await expect(startEmbeddedS3({ directory: dir, port: s3.port })).rejects.toThrow(
      new RegExp(`could not listen on 127\\.0\\.0\\.1:${s3.port}: port already in use`),
    );
  });
});

describe("minioBody", () => {
  const common = {
    principalId: "S3RVER",
    sourceIp: "10.0.4.17",
    userAgent: "MinIO (linux; amd64) minio-go/v7.0.83 mc/RELEASE.2025-04-16T18-13-26Z",
    deploymentId: "4a1c7b2e-9d3f-4b8e-a6c1-2f5e8d7b9c01",
    originEndpoint: "http://10.0.4.2:9000",
    nodeIdHash: "dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8",
  };

  // Written out by hand from MinIO's body format (docs/notifications.md, "MinIO's webhook body"), in Go's
  // field order.
  const expectedPut = (seq: string) => ({
    EventName: "s3:ObjectCreated:Put",
    Key: "demo.gbai/demo.gbdialog/start me+1 ü.bas",
    Records: [
      {
        eventVersion: "2.0",
        eventSource: "minio:s3",
        awsRegion: "",
        eventTime: "2026-03-01T09:15:42.118Z",
        eventName: "s3:ObjectCreated:Put",
        userIdentity: { principalId: "S3RVER" },
        requestParameters: { principalId: "S3RVER", region: "", sourceIPAddress: "10.0.4.17" },
        responseElements: {
          "x-amz-id-2": "dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8",
          "x-amz-request-id": seq,
          "x-minio-deployment-id": "4a1c7b2e-9d3f-4b8e-a6c1-2f5e8d7b9c01",
          "x-minio-origin-endpoint": "http://10.0.4.2:9000",
        },
        s3: {
          s3SchemaVersion: "1.0",
          configurationId: "Config",
          bucket: { name: "demo.gbai", ownerIdentity: { principalId: "S3RVER" }, arn: "arn:aws:s3:::demo.gbai" },
          object: {
            key: "demo.gbdialog%2Fstart+me%2B1+%C3%BC.bas",
            size: 48213,
            eTag: "9b2cf535f27731c974343645a3985328",
            contentType: "text/plain",
            sequencer: seq,
          },
        },
        source: { host: "10.0.4.17", port: "", userAgent: "MinIO (linux; amd64) minio-go/v7.0.83 mc/RELEASE.2025-04-16T18-13-26Z" },
      },
    ],
  });

  const expectedDelete = (seq: string) => ({
    EventName: "s3:ObjectRemoved:Delete",
    Key: "demo.gbai/demo.gbdialog/start me+1 ü.bas",
    Records: [
      {
        eventVersion: "2.0",
        eventSource: "minio:s3",
        awsRegion: "",
        eventTime: "2026-03-01T09:20:03.000Z",
        eventName: "s3:ObjectRemoved:Delete",
        userIdentity: { principalId: "S3RVER" },
        requestParameters: { principalId: "S3RVER", region: "", sourceIPAddress: "10.0.4.17" },
        responseElements: {
          "content-length": "0",
          "x-amz-id-2": "dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8",
          "x-amz-request-id": seq,
          "x-minio-deployment-id": "4a1c7b2e-9d3f-4b8e-a6c1-2f5e8d7b9c01",
          "x-minio-origin-endpoint": "http://10.0.4.2:9000",
        },
        s3: {
          s3SchemaVersion: "1.0",
          configurationId: "Config",
          bucket: { name: "demo.gbai", ownerIdentity: { principalId: "S3RVER" }, arn: "arn:aws:s3:::demo.gbai" },
          object: { key: "demo.gbdialog%2Fstart+me%2B1+%C3%BC.bas", sequencer: seq },
        },
        source: { host: "10.0.4.17", port: "", userAgent: "MinIO (linux; amd64) minio-go/v7.0.83 mc/RELEASE.2025-04-16T18-13-26Z" },
      },
    ],
  });

  const put: S3ObjectEvent = {
    eventName: "s3:ObjectCreated:Put",
    bucket: "demo.gbai",
    key: "demo.gbdialog/start me+1 ü.bas",
    etag: "9b2cf535f27731c974343645a3985328",
    size: 48213,
    contentType: "text/plain",
    eventTime: "2026-03-01T09:15:42.118Z",
  };
  // Remove events must drop size/eTag/contentType even if the caller passes them; second precision is widened.
  const del: S3ObjectEvent = { ...put, eventName: "s3:ObjectRemoved:Delete", eventTime: "2026-03-01T09:20:03Z" };

  const seqOf = (b: MinioWebhookBody) => b.Records[0].s3.object.sequencer;

  it("builds MinIO's exact put and delete bodies (values and field order)", () => {
    const next = createSequencer();
    const putBody = minioBody(put, { ...common, sequencer: next() });
    const delBody = minioBody(del, { ...common, sequencer: next() });
    expect(seqOf(putBody)).toMatch(SEQ);
    expect(seqOf(delBody)).toMatch(SEQ);
    expect(seqOf(delBody) > seqOf(putBody)).toBe(true);
    expect(putBody).toEqual(expectedPut(seqOf(putBody)));
    expect(delBody).toEqual(expectedDelete(seqOf(delBody)));
    // toEqual ignores key order; the serialised bytes must match too.
    expect(JSON.stringify(putBody)).toBe(JSON.stringify(expectedPut(seqOf(putBody))));
    expect(JSON.stringify(delBody)).toBe(JSON.stringify(expectedDelete(seqOf(delBody))));
  });

  it("derives the default sequencer from eventTime and omits size 0 (Go omitempty)", () => {
    const a = minioBody({ ...put, size: 0 });
    const b = minioBody(del);
    expect(seqOf(a)).toMatch(SEQ);
    // 2026-03-01T09:15:42.118Z = 1772356542118 ms = 0x1898ACE27C487580 ns
    expect(seqOf(a)).toBe("1898ACE27C487580");
    expect(seqOf(b) > seqOf(a)).toBe(true);
    expect(a.Records[0].s3.object).not.toHaveProperty("size");
    expect(a.Records[0].userIdentity.principalId).toBe("minioadmin");
  });

  it("sequencers are strictly increasing even when the clock stands still", () => {
    const next = createSequencer(() => 1_772_356_542_118_000_000n);
    const seqs = [next(), next(), next()];
    expect(seqs).toEqual(["1898ACE27C487580", "1898ACE27C487581", "1898ACE27C487582"]);
    const real = createSequencer();
    const many = Array.from({ length: 1000 }, () => real());
    for (let i = 1; i < many.length; i++) expect(many[i]! > many[i - 1]!).toBe(true);
  });

  it("Authorization follows MinIO's one-word / two-word rule", () => {
    expect(authorizationHeader("s3cr3t")).toBe("Bearer s3cr3t");
    expect(authorizationHeader("Splunk abc")).toBe("Splunk abc");
    expect(authorizationHeader("")).toBeUndefined();
    expect(authorizationHeader("a b c")).toBeUndefined();
  });
});

interface Received {
  headers: http.IncomingHttpHeaders;
  body: MinioWebhookBody;
}

/** A webhook double: records every request, answers with the next status from `statuses` (then 200). */
async function webhookDouble(statuses: number[] = []) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as MinioWebhookBody });
      res.statusCode = statuses.shift() ?? 200;
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/webhooks/minio?x=1`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function event(key: string, eventName: S3ObjectEvent["eventName"] = "s3:ObjectCreated:Put"): S3ObjectEvent {
  return { eventName, bucket: "demo.gbai", key, etag: "0123456789abcdef0123456789abcdef", size: 3, eventTime: new Date().toISOString() };
}

describe("MinIO notifier", () => {
  it("POSTs MinIO bodies in order with MinIO's headers and retries after a 503", async () => {
    const hook = await webhookDouble([503]);
    const errors: unknown[] = [];
    const waits: number[] = [];
    const clock = { sleep: async (ms: number) => void waits.push(ms) };
    const n = createMinioNotifier({ endpoint: hook.url, authToken: "s3cr3t", retryDelaysMs: [20, 40], clock, onError: (err) => errors.push(err) });
    const keys = ["demo.gbot/config.csv", "demo.gbdialog/a b.bas", "demo.gbkb/x/ü+.pdf"];
    void n.notify(event(keys[0]!));
    void n.notify(event(keys[1]!));
    void n.notify(event(keys[2]!, "s3:ObjectRemoved:Delete"));
    await n.idle();
    await hook.close();

    expect(errors).toEqual([]);
    expect(waits).toEqual([20]);
    // The first delivery got 503 and was resent before anything else went out.
    expect(hook.received.map((r) => r.body.Key)).toEqual([keys[0], keys[0], keys[1], keys[2]].map((k) => `demo.gbai/${k}`));
    expect(hook.received[0]!.body).toEqual(hook.received[1]!.body);
    for (const r of hook.received) {
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.headers["authorization"]).toBe("Bearer s3cr3t");
      expect(r.headers["user-agent"]).toBe("Go-http-client/1.1");
    }
    const delivered = hook.received.slice(1).map((r) => r.body);
    expect(delivered.map((b) => b.Records[0].s3.object.key)).toEqual([
      "demo.gbot%2Fconfig.csv",
      "demo.gbdialog%2Fa+b.bas",
      "demo.gbkb%2Fx%2F%C3%BC%2B.pdf",
    ]);
    expect(delivered.map((b) => b.EventName)).toEqual(["s3:ObjectCreated:Put", "s3:ObjectCreated:Put", "s3:ObjectRemoved:Delete"]);
    expect(delivered[2]!.Records[0].s3.object).not.toHaveProperty("eTag");
    const seqs = delivered.map((b) => b.Records[0].s3.object.sequencer);
    for (const s of seqs) expect(s).toMatch(SEQ);
    expect([...seqs].sort()).toEqual(seqs);
    expect(new Set(seqs).size).toBe(3);
  });

  it("sends a two-word token as is and no Authorization for an empty token", async () => {
    const hook = await webhookDouble();
    const two = createMinioNotifier({ endpoint: hook.url, authToken: "Splunk abc" });
    const none = createMinioNotifier({ endpoint: hook.url, authToken: "" });
    await two.notify(event("a.txt"));
    await none.notify(event("b.txt"));
    await hook.close();
    expect(hook.received[0]!.headers["authorization"]).toBe("Splunk abc");
    expect(hook.received[1]!.headers).not.toHaveProperty("authorization");
  });

  it("gives up after the retries, calls onError and carries on with the next event", async () => {
    const hook = await webhookDouble([500, 500, 500]);
    const failed: Array<{ err: unknown; key: string }> = [];
    const waits: number[] = [];
    const n = createMinioNotifier({
      endpoint: hook.url,
      authToken: "t",
      retryDelaysMs: [5, 10],
      clock: { sleep: async (ms) => void waits.push(ms) },
      onError: (err, e) => failed.push({ err, key: e.key }),
    });
    void n.notify(event("poison.csv"));
    void n.notify(event("fine.csv"));
    await n.idle();
    await hook.close();
    expect(hook.received.map((r) => r.body.Key)).toEqual(["poison.csv", "poison.csv", "poison.csv", "fine.csv"].map((k) => `demo.gbai/${k}`));
    expect(failed).toHaveLength(1);
    expect(waits).toEqual([5, 10]);
    expect(failed[0]!.key).toBe("poison.csv");
    expect(String(failed[0]!.err)).toMatch(/returned '500 Internal Server Error', please check your endpoint configuration/);
  });

  it("treats network failures like non-2xx", async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const failed: string[] = [];
    const n = createMinioNotifier({ endpoint: `http://127.0.0.1:${port}/`, authToken: "t", retryDelaysMs: [5], clock: { sleep: async () => {} }, onError: (_err, e) => failed.push(e.key) });
    await n.notify(event("x.csv"));
    expect(failed).toEqual(["x.csv"]);
  });
});

describe("embedded Postgres (PGlite + pgvector over the wire)", () => {
  it("serves postgres.js (max 1) with pgvector on a random port", async () => {
    const pg = await startEmbeddedPostgres({ dataDir: "memory://", port: 0 });
    const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
    try {
      expect(pg.url).toBe(`postgres://postgres@127.0.0.1:${pg.port}/postgres`);
      expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
      expect(await sql`select current_user as u, current_database() as d`).toEqual([{ u: "postgres", d: "postgres" }]);
      expect(await sql`select '[1,2,3]'::vector::text as v`).toEqual([{ v: "[1,2,3]" }]);
      expect(await sql`select '[1,0]'::vector <-> '[0,0]'::vector as d`).toEqual([{ d: 1 }]);
    } finally {
      await sql.end();
      await pg.close();
    }
  });

  it("keeps data across close() and a restart on the same dataDir", async () => {
    const dataDir = await tempDir("pg");
    try {
      const first = await startEmbeddedPostgres({ dataDir, port: 0 });
      const sql1 = postgres(first.url, { max: 1, onnotice: () => {} });
      await sql1`create table kept (id int primary key, note text, embedding vector(3))`;
      await sql1`insert into kept values (1, 'survives', '[1,2,3]')`;
      await sql1.end();
      await first.close();

      const second = await startEmbeddedPostgres({ dataDir, port: 0 });
      const sql2 = postgres(second.url, { max: 1, onnotice: () => {} });
      try {
        expect(await sql2`select id, note, embedding::text as e from kept`).toEqual([{ id: 1, note: "survives", e: "[1,2,3]" }]);
      } finally {
        await sql2.end();
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("rejects with a clear message when the port is taken", async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(startEmbeddedPostgres({ dataDir: "memory://", port })).rejects.toThrow(
        new RegExp(`could not listen on 127\\.0\\.0\\.1:${port}: port already in use`),
      );
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });
});
