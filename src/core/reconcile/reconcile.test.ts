/**
 * reconcile against an in-memory drive and reconcile store: every served bucket listed and compared, each
 * difference written (and nothing when nothing differs), LOAD_ONLY and inactive bots honoured, one bucket's
 * failure reported without stopping the others, the cluster-wide lock respected, and new buckets handed to
 * the subscriptions before they are listed.
 */
import { describe, expect, it } from "vitest";
import type { BotRef } from "../ports/ingest-store.js";
import type { DriveObjectInfo } from "../ports/drive.js";
import type { BucketChanges, ReconcileStore, StoredObjectRow } from "../ports/reconcile-store.js";
import { memoryLogger } from "../../../test/harness/app-fakes.js";
import { productionKinds } from "../../../test/harness/kinds.js";
import { reconcile, type ReconcileDeps } from "./reconcile.js";

type Bucket = DriveObjectInfo[] | Error;

/** A drive of `buckets` and a store that knows `stored` objects per bot; `locked`: another process reconciles. */
function setup(buckets: Record<string, Bucket>, options: { stored?: Record<string, StoredObjectRow[]>; bots?: Record<string, BotRef>; locked?: boolean; loadOnly?: string[] } = {}) {
  const order: string[] = [];
  const applied: Array<{ botId: string; changes: BucketChanges }> = [];
  const ensured: string[][] = [];
  const measured: Array<[number, number]> = [];
  const store: ReconcileStore = {
    async withReconcileLock(fn) {
      if (options.locked) return null;
      return fn({
        ensureBots: async (names) => new Map(names.map((name) => [name, options.bots?.[name] ?? { id: `id-${name}`, active: true }])),
        loadObjects: async (botId) => (order.push(`load ${botId}`), options.stored?.[botId] ?? []),
        applyChanges: async (botId, changes) => void applied.push({ botId, changes }),
      });
    },
  };
  const unused = () => {
    throw new Error("reconcile only lists");
  };
  const deps: ReconcileDeps = {
    drive: {
      listBuckets: async () => Object.keys(buckets),
      listObjects: async (bucket) => {
        order.push(`list ${bucket}`);
        const listing = buckets[bucket];
        if (listing instanceof Error) throw listing;
        return listing ?? [];
      },
      bucketExists: unused,
      getObject: unused,
      check: unused,
    },
    store,
    kinds: productionKinds(),
    loadOnly: options.loadOnly ? new Set(options.loadOnly) : null,
    log: memoryLogger(),
    metrics: { reconcile: (ms, queued) => void measured.push([ms, queued]), notification: () => {}, jobRun: () => {} },
    subscriptions: { ensure: async (served) => void (ensured.push([...served]), order.push("ensure")) },
  };
  return { deps, applied, ensured, order, measured };
}

const object = (key: string, etag: string): DriveObjectInfo => ({ key, etag, size: 3 });
const row = (id: string, filePath: string, etag: string, present = true): StoredObjectRow => ({ id, filePath, etag, present, revision: "7" });

describe("reconcile", () => {
  it("queues what is new, changed or gone, and reports it per bucket", async () => {
    const { deps, applied, measured } = setup(
      { "demo.gbai": [object("demo.gbot/config.csv", "c2"), object("demo.gbdialog/new.bas", "n1"), object("demo.gbkb/faq/a.md", "a1"), object("demo.gbot/logo.png", "l")] },
      { stored: { "id-demo": [row("1", "demo.gbai/demo.gbot/config.csv", "c1"), row("2", "demo.gbai/demo.gbkb/faq/a.md", "a1"), row("3", "demo.gbai/demo.gbdialog/old.bas", "o1")] } },
    );
    const report = await reconcile(deps);
    expect(report).toMatchObject({ status: "done", queued: 3, ignoredBuckets: [] });
    expect(report.buckets).toEqual([{ bucket: "demo.gbai", bot: "demo", objects: 4, queued: 2, removed: 1, skipped: [] }]);
    expect(applied).toHaveLength(1);
    const { changes } = applied[0]!;
    expect(changes.inserts).toEqual([{ filePath: "demo.gbai/demo.gbdialog/new.bas", kind: expect.objectContaining({ fileType: "bas", lane: "fast" }), etag: "n1", size: 3, lastModified: undefined }]);
    expect(changes.updates).toEqual([
      { id: "1", revision: "7", present: true, etag: "c2", size: 3, lastModified: undefined },
      { id: "3", revision: "7", present: false, etag: "o1" },
    ]);
    expect(measured).toEqual([[expect.any(Number), 3]]);
  });

  it("writes nothing when the bucket and the database agree", async () => {
    const { deps, applied } = setup({ "demo.gbai": [object("demo.gbot/config.csv", "c1")] }, { stored: { "id-demo": [row("1", "demo.gbai/demo.gbot/config.csv", "c1")] } });
    expect((await reconcile(deps)).queued).toBe(0);
    expect(applied).toEqual([]);
  });

  it("reports an unsafe key as skipped and queues nothing for it", async () => {
    const { deps, applied } = setup({ "demo.gbai": [object("demo.gbkb/a\u0001b.md", "x"), object("demo.gbkb/faq/", "dir")] });
    const report = await reconcile(deps);
    expect(report.buckets[0]!.skipped).toEqual([{ key: "demo.gbkb/a\u0001b.md", reason: expect.stringMatching(/control/) }]);
    expect(applied).toEqual([]);
  });

  it("serves only *.gbai buckets of valid bots in LOAD_ONLY, names the invalid ones, and skips inactive bots", async () => {
    const { deps, order } = setup(
      { "demo.gbai": [], "other.gbai": [], "Bad_Name.gbai": [], "photos": [], "off.gbai": [] },
      { loadOnly: ["demo", "off"], bots: { off: { id: "id-off", active: false } } },
    );
    const report = await reconcile(deps);
    expect(report.buckets.map((b) => b.bucket)).toEqual(["demo.gbai"]);
    expect(report.ignoredBuckets).toEqual([
      { bucket: "Bad_Name.gbai", reason: expect.any(String) },
      { bucket: "off.gbai", reason: 'bot "off" is inactive (bots.is_active = false)' },
    ]);
    expect(order.filter((step) => step.startsWith("list"))).toEqual(["list demo.gbai"]);
  });

  it("reconciles one bot when asked, but hands every served bucket to the subscriptions first", async () => {
    const { deps, ensured, order } = setup({ "a.gbai": [], "b.gbai": [] });
    const report = await reconcile(deps, "b");
    expect(report.buckets.map((b) => b.bucket)).toEqual(["b.gbai"]);
    expect(ensured).toEqual([["a.gbai", "b.gbai"]]);
    expect(order).toEqual(["ensure", "list b.gbai", "load id-b"]);
  });

  it("reports a bucket that cannot be listed and goes on with the others", async () => {
    const { deps, applied } = setup({ "broken.gbai": new Error("AccessDenied"), "demo.gbai": [object("demo.gbot/config.csv", "c1")] });
    const report = await reconcile(deps);
    expect(report.buckets).toEqual([
      { bucket: "broken.gbai", bot: "broken", objects: 0, queued: 0, removed: 0, skipped: [], error: "AccessDenied" },
      { bucket: "demo.gbai", bot: "demo", objects: 1, queued: 1, removed: 0, skipped: [] },
    ]);
    expect(applied.map((a) => a.botId)).toEqual(["id-demo"]);
  });

  it("answers busy without listing anything while another process holds the lock", async () => {
    const { deps, order, measured } = setup({ "demo.gbai": [object("demo.gbot/config.csv", "c1")] }, { locked: true });
    expect(await reconcile(deps)).toMatchObject({ status: "busy", queued: 0, buckets: [] });
    expect(order).toEqual([]);
    expect(measured).toEqual([]);
  });
});
