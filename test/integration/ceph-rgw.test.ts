/**
 * A real S3 server that pushes events (Ceph radosgw, test/harness/ceph-rgw.ts) and botsync's bucket
 * subscription adapter: the topic and subscriptions it creates make radosgw POST real notifications, which
 * parseNotification understands; it keeps other configurations, repeats safely and reports status.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
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
import { CreateTopicCommand, ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import * as Minio from "minio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBucketNotifications } from "../../src/adapters/drive/bucket-subscriptions.js";
import { parseNotification, type NotificationRecord } from "../../src/core/events/parse-notification.js";
import type { BucketNotifications } from "../../src/core/ports/bucket-notifications.js";
import { cephAvailable, cephSkipReason, startCephRgw, type CephRgw } from "../harness/ceph-rgw.js";
import { eventually } from "../harness/eventually.js";

const TOKEN = "ceph-test-webhook-token-0123456789";
const available = cephAvailable();

interface Push {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  at: number;
}

/** A plain HTTP server standing in for botsync's webhook: records every POST; can refuse some. */
async function startReceiver(refuse: (push: Push) => boolean = () => false) {
  const pushes: Push[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const push = { path: req.url ?? "", headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")), at: Date.now() };
      pushes.push(push);
      res.statusCode = refuse(push) ? 503 : 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    pushes,
    /** waits until `count` pushes matching `filter` arrived */
    waitFor(count: number, filter: (p: Push) => boolean, timeoutMs: number): Promise<Push[]> {
      return eventually(
        () => {
          const matching = pushes.filter(filter);
          if (matching.length < count) throw new Error(`expected ${count} pushes, got ${matching.length} within ${timeoutMs} ms: ${JSON.stringify(pushes.map((p) => p.path))}`);
          return matching;
        },
        { timeoutMs },
      );
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const recordOf = (p: Push): NotificationRecord => {
  const records = parseNotification(p.body);
  expect(records).toHaveLength(1);
  return records[0]!;
};
const webhookPushes = (p: Push) => p.path === "/webhooks/minio";

/** Writes one notification entry the way another tool (or a person) would, bypassing botsync. */
async function putEntry(minio: Minio.Client, bucket: string, entry: { id: string; topic: string; events: string[]; prefix?: string; suffix?: string }) {
  const config = new Minio.NotificationConfig();
  const target = new Minio.TopicConfig(entry.topic);
  target.setId(entry.id);
  for (const e of entry.events) target.addEvent(e);
  if (entry.prefix) target.addFilterPrefix(entry.prefix);
  if (entry.suffix) target.addFilterSuffix(entry.suffix);
  config.add(target);
  await minio.setBucketNotification(bucket, config);
}

describe.skipIf(!available)(`Ceph radosgw pushes bucket notifications${available ? "" : ` — skipped: ${cephSkipReason()}`}`, () => {
  let ceph: CephRgw;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let s3: S3Client;
  let sns: SNSClient;
  let minio: Minio.Client;
  let notifications: BucketNotifications;
  /** the first POST for this key is refused, to see radosgw retry it */
  const refuseOnce = new Set(["demo.gbot/retry.csv"]);

  beforeAll(async () => {
    receiver = await startReceiver((push) => {
      const key = (push.body as any)?.Records?.[0]?.s3?.object?.key;
      return refuseOnce.delete(key);
    });
    ceph = await startCephRgw();
    const credentials = { accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey };
    s3 = new S3Client({ endpoint: ceph.endpoint, region: ceph.region, credentials, forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED" });
    sns = new SNSClient({ endpoint: ceph.endpoint, region: ceph.region, credentials });
    const u = new URL(ceph.endpoint);
    minio = new Minio.Client({ endPoint: u.hostname, port: Number(u.port), useSSL: false, accessKey: ceph.accessKeyId, secretKey: ceph.secretAccessKey, region: ceph.region, pathStyle: true });
    notifications = createBucketNotifications(
      { mode: "ceph", publicUrl: receiver.url, topic: "botsync" },
      { endpoint: ceph.endpoint, region: ceph.region, credentials, webhookToken: TOKEN },
    );
    for (const bucket of ["demo.gbai", "shared.gbai", "twice.gbai", "state.gbai", "stray.gbai"]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    // Subscribing right away creates the persistent topic well before radosgw first lists its queues
    // (ceph.queuesListedAt), so delivery starts then instead of 30 s later.
    await notifications.subscribe(["demo.gbai"]);
  });

  afterAll(async () => {
    await ceph?.stop();
    await receiver?.close();
  });

  it("plans without writing, then subscribes and keeps the bucket's other configuration", async () => {
    // Someone else's notification: a non-persistent topic, only for in/ and only for Put.
    const foreign = (await sns.send(new CreateTopicCommand({ Name: "foreign", Attributes: { "push-endpoint": `${receiver.url}/foreign` } }))).TopicArn!;
    await putEntry(minio, "shared.gbai", { id: "foreign", topic: foreign, events: ["s3:ObjectCreated:Put"], prefix: "in/" });
    const before = await minio.getBucketNotification("shared.gbai");

    const plan = await notifications.plan(["shared.gbai"]);
    expect(plan.changes).toEqual([
      { kind: "subscribe", bucket: "shared.gbai", target: expect.stringMatching(/^arn:aws:sns:.*:botsync$/), detail: "subscribe bucket shared.gbai to topic botsync for created and removed objects" },
    ]);
    expect(await minio.getBucketNotification("shared.gbai")).toEqual(before);

    const done = await notifications.subscribe(["shared.gbai"]);
    expect(done.changes.map((c) => c.kind)).toEqual(["subscribe"]);
    const after = await minio.getBucketNotification("shared.gbai");
    expect(after.TopicConfiguration.find((t) => t.Id === "foreign")).toEqual(before.TopicConfiguration[0]);
    expect(after.TopicConfiguration.find((t) => t.Id === "botsync")).toEqual({
      Id: "botsync", Topic: done.target, Event: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"], Filter: [],
    });
    expect(after.TopicConfiguration).toHaveLength(2);

    // And the foreign configuration still works: its (synchronous) topic gets its Put.
    await s3.send(new PutObjectCommand({ Bucket: "shared.gbai", Key: "in/file.txt", Body: "x" }));
    const [push] = await receiver.waitFor(1, (p) => p.path === "/foreign", 5_000);
    expect(recordOf(push!)).toMatchObject({ bucket: "shared.gbai", key: "in/file.txt", eventName: "ObjectCreated:Put" });
  });

  it("subscribing twice changes nothing the second time and leaves one topic, one entry", async () => {
    const first = await notifications.subscribe(["twice.gbai"]);
    expect(first.changes).toHaveLength(1);
    const again = await notifications.subscribe(["twice.gbai", "demo.gbai"]);
    expect(again).toEqual({ target: first.target, changes: [], unchanged: ["twice.gbai", "demo.gbai"] });
    expect((await notifications.plan(["twice.gbai"])).changes).toEqual([]);
    const config = await minio.getBucketNotification("twice.gbai");
    expect(config.TopicConfiguration.filter((t) => t.Id === "botsync")).toHaveLength(1);
    const topics = new Set((await sns.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn));
    expect([...topics].filter((arn) => arn?.endsWith(":botsync"))).toEqual([first.target]);
  });

  it("status: not subscribed, subscribed, and wrong target (entry or topic), which subscribe repairs", async () => {
    expect(await notifications.status("state.gbai")).toMatchObject({ bucket: "state.gbai", state: "not-subscribed" });
    const { target } = await notifications.subscribe(["state.gbai"]);
    expect(await notifications.status("state.gbai")).toEqual({ bucket: "state.gbai", state: "subscribed", target });

    // botsync's entry narrowed down: fewer events, a filter.
    await putEntry(minio, "state.gbai", { id: "botsync", topic: target, events: ["s3:ObjectCreated:*"], suffix: ".csv" });
    const status = await notifications.status("state.gbai");
    expect(status.state === "wrong-target" && status.problems).toEqual([
      "botsync's entry: it does not subscribe to s3:ObjectRemoved:*",
      "botsync's entry: it filters keys (suffix=.csv)",
    ]);
    expect((await notifications.subscribe(["state.gbai"])).changes.map((c) => c.kind)).toEqual(["update-subscription"]);
    expect((await notifications.status("state.gbai")).state).toBe("subscribed");

    // An entry with botsync's id that sends to another topic, and none for botsync's topic.
    const other = (await sns.send(new CreateTopicCommand({ Name: "elsewhere", Attributes: { "push-endpoint": `${receiver.url}/elsewhere` } }))).TopicArn!;
    await putEntry(minio, "stray.gbai", { id: "botsync", topic: other, events: ["s3:ObjectCreated:*"] });
    expect(await notifications.status("stray.gbai")).toEqual({
      bucket: "stray.gbai", state: "wrong-target", target, problems: [`botsync's entry sends to ${other}, not ${target}`],
    });
    expect((await notifications.subscribe(["stray.gbai"])).changes.map((c) => c.kind)).toEqual(["update-subscription"]);
    expect((await notifications.status("stray.gbai")).state).toBe("subscribed");

    // The topic itself changed behind botsync's back (another endpoint, no token): every bucket is affected.
    await sns.send(new CreateTopicCommand({ Name: "botsync", Attributes: { "push-endpoint": `${receiver.url}/elsewhere`, persistent: "true" } }));
    const changed = await notifications.status("state.gbai");
    expect(changed.state === "wrong-target" && changed.problems).toEqual([
      `topic ${target} pushes to ${receiver.url}/elsewhere, not ${receiver.url}/webhooks/minio`,
      `topic ${target} does not carry the current webhook token as OpaqueData`,
    ]);
    const plan = await notifications.plan(["state.gbai", "demo.gbai"]);
    expect(plan.changes.map((c) => c.kind)).toEqual(["update-topic", "refresh-subscription", "refresh-subscription"]);
    expect(JSON.stringify(plan)).not.toContain(TOKEN);
    await notifications.subscribe(["state.gbai", "demo.gbai", "shared.gbai", "twice.gbai"]);
    expect((await notifications.status("state.gbai")).state).toBe("subscribed");
  });

  it("failures name what went wrong: a missing bucket, an unreachable server", async () => {
    await expect(notifications.subscribe(["missing.gbai"])).rejects.toMatchObject({ code: "SUBSCRIPTION_FAILED", message: expect.stringContaining("missing.gbai") });
    const down = createBucketNotifications(
      { mode: "ceph", publicUrl: receiver.url, topic: "botsync" },
      { endpoint: "http://127.0.0.1:9", region: ceph.region, credentials: { accessKeyId: "a", secretAccessKey: "b" }, webhookToken: TOKEN },
    );
    await expect(down.status("demo.gbai")).rejects.toMatchObject({ code: "DRIVE_UNAVAILABLE", retryable: true });
  });

  it("radosgw POSTs put, overwrite, copy, multipart and delete events that parseNotification reads", { timeout: 90_000 }, async () => {
    // First delivery from the new persistent topic: when radosgw first lists its queues (≈ 30 s after it
    // started); every event after that arrives within a fraction of a second.
    await s3.send(new PutObjectCommand({ Bucket: "demo.gbai", Key: "demo.gbot/warmup.txt", Body: "w" }));
    await receiver.waitFor(1, (p) => webhookPushes(p) && (p.body as any).Records[0].s3.object.key === "demo.gbot/warmup.txt", Math.max(ceph.queuesListedAt - Date.now(), 0) + 15_000);
    const start = receiver.pushes.filter(webhookPushes).length;

    const etags: string[] = [];
    const put = async (key: string, body: string | Buffer) => {
      const out = await s3.send(new PutObjectCommand({ Bucket: "demo.gbai", Key: key, Body: body }));
      etags.push(out.ETag!.replaceAll('"', ""));
    };
    await put("demo.gbot/config.csv", "name,value\nTheme Color,blue\n");
    await put("demo.gbot/config.csv", "name,value\nTheme Color,green\n");
    await s3.send(new CopyObjectCommand({ Bucket: "demo.gbai", Key: "demo.gbkb/guia do usuário+v2.md", CopySource: "demo.gbai/demo.gbot/config.csv" }));
    const mp = await s3.send(new CreateMultipartUploadCommand({ Bucket: "demo.gbai", Key: "demo.gbkb/big.txt" }));
    const parts = [];
    for (const [n, body] of [[1, Buffer.alloc(5 * 1024 * 1024, 97)], [2, Buffer.from("tail")]] as const) {
      const out = await s3.send(new UploadPartCommand({ Bucket: "demo.gbai", Key: "demo.gbkb/big.txt", UploadId: mp.UploadId, PartNumber: n, Body: body }));
      parts.push({ PartNumber: n, ETag: out.ETag });
    }
    const completed = await s3.send(new CompleteMultipartUploadCommand({ Bucket: "demo.gbai", Key: "demo.gbkb/big.txt", UploadId: mp.UploadId, MultipartUpload: { Parts: parts } }));
    await s3.send(new DeleteObjectCommand({ Bucket: "demo.gbai", Key: "demo.gbot/config.csv" }));
    await s3.send(new DeleteObjectsCommand({ Bucket: "demo.gbai", Delete: { Objects: [{ Key: "demo.gbkb/big.txt" }, { Key: "demo.gbkb/guia do usuário+v2.md" }] } }));

    const pushes = (await receiver.waitFor(start + 7, webhookPushes, 10_000)).slice(start);
    const records = pushes.map(recordOf);
    expect(records.map((r) => [r.eventName, r.action, r.key])).toEqual([
      ["ObjectCreated:Put", "upsert", "demo.gbot/config.csv"],
      ["ObjectCreated:Put", "upsert", "demo.gbot/config.csv"],
      ["ObjectCreated:Copy", "upsert", "demo.gbkb/guia do usuário+v2.md"],
      ["ObjectCreated:CompleteMultipartUpload", "upsert", "demo.gbkb/big.txt"],
      ["ObjectRemoved:Delete", "remove", "demo.gbot/config.csv"],
      ["ObjectRemoved:Delete", "remove", "demo.gbkb/big.txt"],
      ["ObjectRemoved:Delete", "remove", "demo.gbkb/guia do usuário+v2.md"],
    ]);
    expect(records[0]!.etag).toBe(etags[0]);
    expect(records[1]!.etag).toBe(etags[1]);
    expect(records[3]!.etag).toBe(completed.ETag!.replaceAll('"', ""));
    expect(records[3]!.etag).toMatch(/-2$/);
    for (const r of records) {
      expect(r).toMatchObject({ bucket: "demo.gbai", eventSource: "ceph:s3", opaqueData: TOKEN });
      expect(r.sequencerSource).toMatch(/^ceph:s3 [0-9a-f]+-default-default$/);
    }
    // One gateway, one clock: the reordered sequencers follow the order of the requests.
    const sequencers = records.map((r) => r.sequencer!);
    expect([...sequencers].sort()).toEqual(sequencers);
    // radosgw's push carries no credentials: the token travels only as opaqueData.
    for (const p of pushes) {
      expect(p.headers.authorization).toBeUndefined();
      expect(p.headers["content-type"]).toBe("application/json");
    }
    // Each request was delivered exactly once, although the configuration was PUT several times.
    expect(receiver.pushes.filter((p) => webhookPushes(p) && (p.body as any).Records[0].s3.object.key === "demo.gbkb/big.txt")).toHaveLength(2);
  });

  it("a persistent topic retries a POST that botsync refused", { timeout: 30_000 }, async () => {
    await s3.send(new PutObjectCommand({ Bucket: "demo.gbai", Key: "demo.gbot/retry.csv", Body: "name,value\n" }));
    const attempts = await receiver.waitFor(2, (p) => webhookPushes(p) && (p.body as any).Records[0].s3.object.key === "demo.gbot/retry.csv", 20_000);
    expect(attempts.map((p) => JSON.stringify(p.body))).toEqual([JSON.stringify(attempts[0]!.body), JSON.stringify(attempts[0]!.body)]);
  });
});
