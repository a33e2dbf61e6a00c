/**
 * S3_NOTIFY=minio through the real `minio` package over HTTP, against the double of MinIO's
 * `?notification` API in test/harness/minio-notification-double.ts (no MinIO server can run here).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBucketNotifications } from "../../src/adapters/drive/bucket-subscriptions.js";
import type { BucketNotifications } from "../../src/core/ports/bucket-notifications.js";
import { EMPTY, startMinioDouble } from "../harness/minio-notification-double.js";

const ARN = "arn:minio:sqs::botsync:webhook";
let double: ReturnType<typeof startMinioDouble>;
let notifications: BucketNotifications;
let endpoint: string;
const targets = new Set([ARN, "arn:minio:sqs::audit:webhook"]);

beforeAll(async () => {
  double = startMinioDouble(targets);
  await new Promise<void>((resolve) => double.server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(double.server.address() as { port: number }).port}`;
  notifications = createBucketNotifications(
    { mode: "minio", publicUrl: "https://botsync.example.com", arn: ARN },
    { endpoint, region: "us-east-1", credentials: { accessKeyId: "minioadmin", secretAccessKey: "minioadmin" }, webhookToken: "unused-by-minio-mode-0123" },
  );
});
afterAll(async () => {
  await new Promise<void>((resolve) => double?.server.close(() => resolve()));
});
beforeEach(() => {
  double.configs.clear();
  double.puts.length = 0;
});

const foreignEntries =
  "<QueueConfiguration><Id>audit</Id><Queue>arn:minio:sqs::audit:webhook</Queue><Event>s3:ObjectCreated:Put</Event>" +
  "<Filter><S3Key><FilterRule><Name>prefix</Name><Value>in/</Value></FilterRule><FilterRule><Name>suffix</Name><Value>.csv</Value></FilterRule></S3Key></Filter></QueueConfiguration>" +
  "<TopicConfiguration><Id>sns</Id><Topic>arn:aws:sns:us-east-1:1:t</Topic><Event>s3:ObjectRemoved:*</Event></TopicConfiguration>";
const withEntries = (entries: string) => `<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${entries}</NotificationConfiguration>`;

describe("S3_NOTIFY=minio subscriptions", () => {
  it("adds botsync's entry and keeps every other entry; a second run writes nothing", async () => {
    double.configs.set("demo.gbai", withEntries(foreignEntries));
    expect(await notifications.status("demo.gbai")).toEqual({ bucket: "demo.gbai", state: "not-subscribed", target: ARN });
    const plan = await notifications.plan(["demo.gbai"]);
    expect(plan).toEqual({
      target: ARN,
      changes: [{ kind: "subscribe", bucket: "demo.gbai", target: ARN, detail: `subscribe bucket demo.gbai to ${ARN} for created and removed objects (keeping its 2 other notification configurations)` }],
      unchanged: [],
    });
    expect(double.puts).toEqual([]);

    expect((await notifications.subscribe(["demo.gbai"])).changes.map((c) => c.kind)).toEqual(["subscribe"]);
    const put = double.puts[0]!.body;
    expect(put).toContain("<Id>audit</Id>");
    expect(put).toContain("<Queue>arn:minio:sqs::audit:webhook</Queue>");
    expect(put).toMatch(/<FilterRule><Name>prefix<\/Name><Value>in\/<\/Value><\/FilterRule><FilterRule><Name>suffix<\/Name><Value>.csv<\/Value><\/FilterRule>/);
    expect(put).toContain("<Topic>arn:aws:sns:us-east-1:1:t</Topic>");
    expect(put).toMatch(new RegExp(`<QueueConfiguration><Queue>${ARN}</Queue><Id>botsync</Id><Event>s3:ObjectCreated:\\*</Event><Event>s3:ObjectRemoved:\\*</Event></QueueConfiguration>`));
    expect(await notifications.status("demo.gbai")).toEqual({ bucket: "demo.gbai", state: "subscribed", target: ARN });

    expect(await notifications.subscribe(["demo.gbai"])).toEqual({ target: ARN, changes: [], unchanged: ["demo.gbai"] });
    expect(double.puts).toHaveLength(1);
  });

  it("an entry for botsync's ARN made by `mc event add` counts as subscribed", async () => {
    const mcEntry = `<QueueConfiguration><Id>cdf0akl1rn6qgh3h3a10</Id><Queue>${ARN}</Queue><Event>s3:ObjectCreated:*</Event><Event>s3:ObjectRemoved:*</Event></QueueConfiguration>`;
    double.configs.set("mc.gbai", withEntries(mcEntry));
    expect((await notifications.status("mc.gbai")).state).toBe("subscribed");
    expect((await notifications.subscribe(["mc.gbai"])).unchanged).toEqual(["mc.gbai"]);
    expect(double.puts).toEqual([]);
  });

  it("an entry for botsync's ARN that misses deletes is replaced, not doubled (MinIO refuses overlaps)", async () => {
    const narrow = `<QueueConfiguration><Id>old</Id><Queue>${ARN}</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration>`;
    double.configs.set("narrow.gbai", withEntries(narrow + foreignEntries));
    expect(await notifications.status("narrow.gbai")).toEqual({
      bucket: "narrow.gbai", state: "wrong-target", target: ARN,
      problems: [`the entry "old" for ${ARN}: it does not subscribe to s3:ObjectRemoved:*`],
    });
    const done = await notifications.subscribe(["narrow.gbai"]);
    expect(done.changes).toEqual([
      { kind: "update-subscription", bucket: "narrow.gbai", target: ARN, detail: `fix bucket narrow.gbai: the entry "old" for ${ARN}: it does not subscribe to s3:ObjectRemoved:* (keeping its 2 other notification configurations)` },
    ]);
    const put = double.puts[0]!.body;
    expect(put.match(new RegExp(`<Queue>${ARN}</Queue>`, "g"))).toHaveLength(1);
    expect(put).not.toContain("<Id>old</Id>");
    expect((await notifications.status("narrow.gbai")).state).toBe("subscribed");
  });

  it("a missing target ARN fails with the MinIO settings to add, named after the ARN's id", async () => {
    double.configs.set("demo.gbai", EMPTY);
    const other = createBucketNotifications(
      { mode: "minio", publicUrl: "https://botsync.example.com/", arn: "arn:minio:sqs::missing:webhook" },
      { endpoint, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, webhookToken: "unused-0123456789" },
    );
    const error = await other.subscribe(["demo.gbai"]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "SUBSCRIPTION_FAILED" });
    const message = (error as Error).message;
    expect(message).toContain("MinIO has no notification target arn:minio:sqs::missing:webhook");
    expect(message).toContain("MINIO_NOTIFY_WEBHOOK_ENABLE_missing=on, MINIO_NOTIFY_WEBHOOK_ENDPOINT_missing=https://botsync.example.com/webhooks/minio");
    expect(message).toContain("MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_missing=<WEBHOOK_TOKEN>");
    expect(message).toContain("mc admin config set ALIAS notify_webhook:missing endpoint=https://botsync.example.com/webhooks/minio auth_token=<WEBHOOK_TOKEN>");
    // The target id keeps its case: the upper-case variables would make another ARN.
    expect(message).toContain("MINIO_NOTIFY_WEBHOOK_ENABLE_MISSING=on would make arn:minio:sqs::MISSING:webhook");
    expect(double.configs.get("demo.gbai")).toBe(EMPTY);
  });

  it("other refusals keep MinIO's code and message; a missing bucket says which", async () => {
    await expect(notifications.status("nobucket.gbai")).rejects.toMatchObject({
      code: "SUBSCRIPTION_FAILED",
      message: expect.stringMatching(/nobucket\.gbai.*NoSuchBucket/),
    });
  });
});
