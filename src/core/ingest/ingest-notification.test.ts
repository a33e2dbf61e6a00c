/**
 * ingestNotification against an in-memory ingest store and drive: every record ends queued (with the
 * sighting the store needs), or ignored with its reason and still recorded; nothing that decides "ignore"
 * creates a bot, a bot is created only for a bucket that exists, and a store that is down fails the call
 * (the webhook answers 503 for it).
 */
import { describe, expect, it } from "vitest";
import type { NotificationRecord } from "../events/parse-notification.js";
import { memoryLogger } from "../../../test/harness/app-fakes.js";
import { productionKinds } from "../../../test/harness/kinds.js";
import { MemoryIngestStore } from "../../../test/harness/memory-ingest-store.js";
import { ingestNotification, type IngestDeps } from "./ingest-notification.js";

function record(bucket: string, key: string, overrides: Partial<NotificationRecord> = {}): NotificationRecord {
  return { eventName: "s3:ObjectCreated:Put", action: "upsert", bucket, key, etag: "e1", size: 10, sequencer: "0000000000000001", sequencerSource: "minio:d1", ...overrides };
}

function ingest(options: { bots?: Record<string, { id: string; active: boolean }>; buckets?: string[]; loadOnly?: string[] } = {}) {
  const store = new MemoryIngestStore(options.bots ?? { demo: { id: "id-demo", active: true } });
  const asked: string[] = [];
  const buckets = new Set(options.buckets ?? ["demo.gbai"]);
  const deps: IngestDeps = {
    store,
    drive: { bucketExists: async (bucket) => (asked.push(bucket), buckets.has(bucket)) },
    kinds: productionKinds(),
    loadOnly: options.loadOnly ? new Set(options.loadOnly) : null,
    log: memoryLogger(),
  };
  return { deps, store, asked };
}

describe("ingestNotification", () => {
  it("queues an object of a known kind with what the store keeps about it", async () => {
    const { deps, store } = ingest();
    const results = await ingestNotification([record("demo.gbai", "demo.gbdialog/start.bas")], deps);
    expect(results).toEqual([{ bucket: "demo.gbai", key: "demo.gbdialog/start.bas", eventName: "s3:ObjectCreated:Put", outcome: "queued" }]);
    expect(store.events).toEqual([
      {
        meta: { source: "webhook", eventName: "s3:ObjectCreated:Put", bucket: "demo.gbai", key: "demo.gbdialog/start.bas", etag: "e1", sequencer: "0000000000000001" },
        outcome: "queued",
        botId: "id-demo",
        sighting: {
          botId: "id-demo",
          filePath: "demo.gbai/demo.gbdialog/start.bas",
          kind: { name: "dialog", fileType: "bas", lane: "fast" },
          action: "upsert",
          etag: "e1",
          size: 10,
          sequencer: "0000000000000001",
          sequencerSource: "minio:d1",
        },
      },
    ]);
  });

  it("queues a removal, and passes on the store's duplicate with its reason", async () => {
    const { deps } = ingest();
    const results = await ingestNotification(
      [
        record("demo.gbai", "demo.gbkb/faq/a.md"),
        record("demo.gbai", "demo.gbkb/faq/a.md"),
        record("demo.gbai", "demo.gbkb/faq/a.md", { eventName: "s3:ObjectRemoved:Delete", action: "remove", etag: undefined }),
      ],
      deps,
      "api",
    );
    expect(results.map((r) => [r.outcome, r.reason])).toEqual([
      ["queued", undefined],
      ["duplicate", "ETag e1 is already queued"],
      ["queued", undefined],
    ]);
  });

  it("records the API as the source of what it ingests", async () => {
    const { deps, store } = ingest();
    await ingestNotification([record("demo.gbai", "demo.gbot/config.csv")], deps, "api");
    expect(store.events[0]!.meta.source).toBe("api");
  });

  it.each([
    ["a bucket that is not a bot's", record("Demo.gbai", "x"), /not|bot/i],
    ["a bucket of no bot at all", record("photos", "x.jpg"), /gbai/],
    ["an event that changes no content", record("demo.gbai", "demo.gbot/config.csv", { eventName: "s3:ObjectCreated:PutTagging", action: "ignore", ignoreReason: "tags only" }), /^tags only$/],
    ["a key no job handles", record("demo.gbai", "demo.gbot/logo.png"), /^no job handles this key$/],
    ["a hostile key", record("demo.gbai", "demo.gbot/../../etc/passwd"), /\.\./],
  ])("ignores %s with the reason, records it, and creates no bot", async (_what, notification, reason) => {
    const { deps, store, asked } = ingest({ bots: {} });
    const [result] = await ingestNotification([notification], deps);
    expect(result).toMatchObject({ outcome: "ignored", reason: expect.stringMatching(reason) });
    expect(store.events).toEqual([{ meta: expect.objectContaining({ bucket: notification.bucket, key: notification.key }), outcome: "ignored", reason: result!.reason, botId: undefined }]);
    expect(store.created).toEqual([]);
    expect(asked).toEqual([]);
  });

  it("links an ignored event to its bot when the bot exists", async () => {
    const { deps, store } = ingest();
    await ingestNotification([record("demo.gbai", "demo.gbot/logo.png")], deps);
    expect(store.events[0]).toMatchObject({ outcome: "ignored", botId: "id-demo" });
  });

  it("ignores bots outside LOAD_ONLY before anything else", async () => {
    const { deps, store, asked } = ingest({ bots: {}, buckets: ["other.gbai"], loadOnly: ["demo"] });
    const [result] = await ingestNotification([record("other.gbai", "other.gbot/config.csv")], deps);
    expect(result).toMatchObject({ outcome: "ignored", reason: 'bot "other" is not in LOAD_ONLY' });
    expect(store.created).toEqual([]);
    expect(asked).toEqual([]);
  });

  it("creates the bot of a bucket that exists, and ignores one that does not", async () => {
    const { deps, store, asked } = ingest({ bots: {}, buckets: ["new.gbai"] });
    const results = await ingestNotification([record("new.gbai", "new.gbot/config.csv"), record("ghost.gbai", "ghost.gbot/config.csv")], deps);
    expect(results.map((r) => [r.bucket, r.outcome, r.reason])).toEqual([
      ["new.gbai", "queued", undefined],
      ["ghost.gbai", "ignored", "bucket ghost.gbai does not exist"],
    ]);
    expect(asked).toEqual(["new.gbai", "ghost.gbai"]);
    expect(store.created).toEqual(["new"]);
  });

  it("ignores the objects of an inactive bot, linked to it", async () => {
    const { deps, store } = ingest({ bots: { demo: { id: "id-demo", active: false } } });
    const [result] = await ingestNotification([record("demo.gbai", "demo.gbot/config.csv")], deps);
    expect(result).toMatchObject({ outcome: "ignored", reason: 'bot "demo" is inactive (bots.is_active = false)' });
    expect(store.events[0]).toMatchObject({ botId: "id-demo" });
    expect(store.queued.size).toBe(0);
  });

  it("fails when the store cannot record, so the notification is not answered 2xx", async () => {
    const { deps, store } = ingest();
    store.down = true;
    await expect(ingestNotification([record("demo.gbai", "demo.gbot/config.csv")], deps)).rejects.toMatchObject({ code: "DATABASE_UNAVAILABLE" });
  });
});
