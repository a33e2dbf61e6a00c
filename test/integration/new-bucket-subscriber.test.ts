/**
 * "Subscribe what is new" (S3_NOTIFY in a running service) over the real `minio` package and MinIO's
 * notification API (the double in test/harness/minio-notification-double.ts): a bucket is subscribed once
 * per process, a tick with nothing new makes no request, a refusal is loud (error log with what to
 * configure, shown by status()) and is tried again only after a delay.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBucketNotifications } from "../../src/adapters/drive/bucket-subscriptions.js";
import { NewBucketSubscriber } from "../../src/adapters/drive/new-bucket-subscriber.js";
import { memoryLogger, type MemoryLogger } from "../harness/app-fakes.js";
import { ManualClock } from "../harness/manual-clock.js";
import { EMPTY, startMinioDouble } from "../harness/minio-notification-double.js";

const ARN = "arn:minio:sqs::botsync:webhook";
const targets = new Set<string>();
let double: ReturnType<typeof startMinioDouble>;
let endpoint: string;
let clock: ManualClock;
let log: MemoryLogger;

function subscriber(server = endpoint): NewBucketSubscriber {
  const notifications = createBucketNotifications(
    { mode: "minio", publicUrl: "https://botsync.example.com", arn: ARN },
    { endpoint: server, region: "us-east-1", credentials: { accessKeyId: "minioadmin", secretAccessKey: "minioadmin" }, webhookToken: "unused-by-minio-mode-0123" },
  );
  return new NewBucketSubscriber(notifications, log, { clock, retryDelayMs: 1_000, maxRetryDelayMs: 4_000 });
}

const logged = (level: string) => log.lines.filter((l) => l.level === level);

beforeAll(async () => {
  double = startMinioDouble(targets);
  await new Promise<void>((resolve) => double.server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(double.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => double?.server.close(() => resolve()));
});
beforeEach(() => {
  targets.clear();
  targets.add(ARN);
  double.configs.clear();
  double.puts.length = 0;
  double.requests.length = 0;
  clock = new ManualClock();
  log = memoryLogger();
});

describe("NewBucketSubscriber", () => {
  it("subscribes each new bucket once; a tick with nothing new makes no request", async () => {
    for (const b of ["a.gbai", "b.gbai", "c.gbai"]) double.configs.set(b, EMPTY);
    const subs = subscriber();
    await subs.ensure(["a.gbai", "b.gbai"]);
    expect(double.puts.map((p) => p.bucket)).toEqual(["a.gbai", "b.gbai"]);
    expect(logged("info").map((l) => l.detail)).toEqual([
      `subscribe bucket a.gbai to ${ARN} for created and removed objects`,
      `subscribe bucket b.gbai to ${ARN} for created and removed objects`,
    ]);

    double.requests.length = 0;
    await subs.ensure(["a.gbai", "b.gbai"]);
    expect(double.requests).toEqual([]);

    await subs.ensure(["a.gbai", "b.gbai", "c.gbai"]);
    expect(double.requests.map((r) => r.bucket)).toEqual(["c.gbai", "c.gbai"]);
    expect(await subs.status("c.gbai")).toEqual({ state: "subscribed", target: ARN });
  });

  it("two ensure() at once subscribe a bucket once", async () => {
    double.configs.set("a.gbai", EMPTY);
    const subs = subscriber();
    await Promise.all([subs.ensure(["a.gbai"]), subs.ensure(["a.gbai"])]);
    expect(double.requests).toEqual([
      { method: "GET", bucket: "a.gbai" },
      { method: "PUT", bucket: "a.gbai" },
    ]);
  });

  it("forgets a bucket that is no longer served, and subscribes it again when it comes back", async () => {
    double.configs.set("a.gbai", EMPTY);
    const subs = subscriber();
    await subs.ensure(["a.gbai"]);
    // The bucket was deleted and created again: its notification configuration is gone with it.
    await subs.ensure([]);
    double.configs.set("a.gbai", EMPTY);
    await subs.ensure(["a.gbai"]);
    expect(double.puts.map((p) => p.bucket)).toEqual(["a.gbai", "a.gbai"]);
    expect((await subs.status("a.gbai")).state).toBe("subscribed");
  });

  it("a missing MinIO target is an error with what to configure, shown by status(), tried again after a delay", async () => {
    targets.clear();
    for (const b of ["a.gbai", "b.gbai"]) double.configs.set(b, EMPTY);
    const subs = subscriber();
    await subs.ensure(["a.gbai", "b.gbai"]);

    // One line for both buckets (the same refusal), at error level, with the settings to add.
    const errors = logged("error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ buckets: ["a.gbai", "b.gbai"], retryInMs: 1_000 });
    expect(errors[0]!.error).toContain(`MinIO has no notification target ${ARN}`);
    expect(errors[0]!.error).toContain("MINIO_NOTIFY_WEBHOOK_ENABLE_botsync=on");
    const status = await subs.status("a.gbai");
    expect(status).toMatchObject({ state: "not-subscribed", target: ARN });
    expect(status.problems).toEqual([expect.stringMatching(/^botsync could not subscribe it \(1 attempt\(s\)\): MinIO has no notification target .*MINIO_NOTIFY_WEBHOOK_ENDPOINT_botsync=https:\/\/botsync\.example\.com\/webhooks\/minio/)]);

    // Not before the delay: a tick costs nothing.
    double.requests.length = 0;
    await subs.ensure(["a.gbai", "b.gbai"]);
    expect(double.requests).toEqual([]);

    // After it, still missing: the delay doubles.
    clock.advance(1_000);
    await subs.ensure(["a.gbai", "b.gbai"]);
    expect(logged("error")).toHaveLength(2);
    expect(logged("error")[1]).toMatchObject({ retryInMs: 2_000 });

    // The operator configures the target; the next try after the delay subscribes, and the problem goes.
    targets.add(ARN);
    clock.advance(2_000);
    await subs.ensure(["a.gbai", "b.gbai"]);
    expect(double.puts.map((p) => p.bucket)).toEqual(["a.gbai", "b.gbai"]);
    expect(await subs.status("a.gbai")).toEqual({ state: "subscribed", target: ARN });
  });

  it("one refused bucket does not keep the others from being subscribed", async () => {
    for (const b of ["a.gbai", "c.gbai"]) double.configs.set(b, EMPTY);
    const subs = subscriber();
    await subs.ensure(["a.gbai", "gone.gbai", "c.gbai"]);
    expect(double.puts.map((p) => p.bucket)).toEqual(["a.gbai", "c.gbai"]);
    expect(logged("error")).toEqual([expect.objectContaining({ buckets: ["gone.gbai"], error: expect.stringMatching(/gone\.gbai.*NoSuchBucket/) })]);
  });

  it("an unreachable server is a warning; status() throws so the API can say why", async () => {
    const subs = subscriber("http://127.0.0.1:9");
    await subs.ensure(["a.gbai"]);
    expect(logged("error")).toEqual([]);
    expect(logged("warn")).toEqual([expect.objectContaining({ buckets: ["a.gbai"], error: expect.stringContaining("storage server unreachable") })]);
    await expect(subs.status("a.gbai")).rejects.toMatchObject({ code: "DRIVE_UNAVAILABLE" });
  });
});
