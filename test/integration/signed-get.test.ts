/**
 * S3Drive.getObject's signed fetch against real S3 servers: s3rver (the embedded drive) for keys with every
 * character class a bot's files have and missing objects, and Ceph radosgw, which checks every signature,
 * for the same keys signed right and a wrong secret refused.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { S3Drive } from "../../src/adapters/drive/s3-drive.js";
import { startEmbeddedS3, type EmbeddedS3 } from "../../src/adapters/embedded/s3-server.js";
import { cephAvailable, cephS3Client, cephSkipReason, startCephRgw, type CephRgw } from "../harness/ceph-rgw.js";

const KEYS = ["demo.gbot/config.csv", "demo.gbdialog/flows/dialog 00 (v2)!*'.bas", "demo.gbkb/ação/a+b=c&d;e,f@g$h.md", "demo.gbkb/x/~tilde_under-dash.txt"];

let dir: string;
let s3: EmbeddedS3;
let client: S3Client;
let drive: S3Drive;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "botsync-signed-get-"));
  s3 = await startEmbeddedS3({ directory: dir, port: 0 });
  const credentials = { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
  client = new S3Client({ region: "us-east-1", endpoint: s3.endpoint, forcePathStyle: true, credentials });
  await client.send(new CreateBucketCommand({ Bucket: "demo.gbai" }));
  drive = new S3Drive({ endpoint: s3.endpoint, region: "us-east-1", credentials });
});

afterAll(async () => {
  drive?.destroy();
  client?.destroy();
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("S3Drive.getObject (signed fetch), s3rver", () => {
  it.each(KEYS)("reads %s with the ETag S3 gave it", async (key) => {
    const put = await client.send(new PutObjectCommand({ Bucket: "demo.gbai", Key: key, Body: `content of ${key}` }));
    const object = await drive.getObject("demo.gbai", key, 1024);
    expect(new TextDecoder().decode(object!.bytes)).toBe(`content of ${key}`);
    expect(object!.etag).toBe(put.ETag!.replace(/"/g, ""));
    expect(object!.lastModified).toBeInstanceOf(Date);
  });

  it("null for a missing object and a missing bucket", async () => {
    expect(await drive.getObject("demo.gbai", "demo.gbot/nothing.csv", 1024)).toBeNull();
    expect(await drive.getObject("nobucket.gbai", "x.csv", 1024)).toBeNull();
  });
});

describe.skipIf(!cephAvailable())(`S3Drive.getObject (signed fetch), radosgw checking signatures${cephAvailable() ? "" : ` (${cephSkipReason()})`}`, () => {
  let ceph: CephRgw;
  beforeAll(async () => {
    ceph = await startCephRgw();
  }, 120_000);
  afterAll(async () => {
    await ceph?.stop();
  });

  it("signs every kind of key as radosgw verifies it, and a wrong secret is DRIVE_UNAVAILABLE naming the keys", async () => {
    const cephClient = cephS3Client(ceph);
    const credentials = { accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey };
    const cephDrive = new S3Drive({ endpoint: ceph.endpoint, region: ceph.region, credentials });
    const wrong = new S3Drive({ endpoint: ceph.endpoint, region: ceph.region, credentials: { ...credentials, secretAccessKey: "wrong-secret" } });
    try {
      await cephClient.send(new CreateBucketCommand({ Bucket: "signed.gbai" }));
      for (const key of KEYS) {
        await cephClient.send(new PutObjectCommand({ Bucket: "signed.gbai", Key: key, Body: `content of ${key}` }));
        expect(new TextDecoder().decode((await cephDrive.getObject("signed.gbai", key, 1024))!.bytes)).toBe(`content of ${key}`);
      }
      await expect(wrong.getObject("signed.gbai", KEYS[0]!, 1024)).rejects.toMatchObject({ code: "DRIVE_UNAVAILABLE", message: expect.stringContaining("S3_SECRET_KEY") });
    } finally {
      cephDrive.destroy();
      wrong.destroy();
      cephClient.destroy();
    }
  });
});
