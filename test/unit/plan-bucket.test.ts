import { describe, expect, it } from "vitest";
import type { StoredObjectRow } from "../../src/core/ports/reconcile-store.js";
import { hasChanges, planBucket } from "../../src/core/reconcile/plan-bucket.js";
import { SIGHTING_KIND } from "../harness/kinds.js";

const BUCKET = "demo.gbai";
const T1 = new Date("2026-01-02T03:04:05.000Z");
const T2 = new Date("2026-02-03T04:05:06.000Z");

type Kind = { ok: true; kind: (typeof SIGHTING_KIND)[keyof typeof SIGHTING_KIND] } | { ok: false; reason: string } | null;

/** A hand-written classifier: config and dialogs are handled, `ignored/` is not, `bad/` is rejected. */
function kindOf(key: string): Kind {
  if (key === "demo.gbot/config.csv") return { ok: true, kind: SIGHTING_KIND.config };
  if (key.startsWith("demo.gbdialog/")) return { ok: true, kind: SIGHTING_KIND.dialog };
  if (key.startsWith("demo.gbkb/")) return { ok: true, kind: SIGHTING_KIND.kb };
  if (key.startsWith("bad/")) return { ok: false, reason: "control character in key" };
  return null;
}

function row(id: string, key: string, etag: string | null, present = true, revision = "1"): StoredObjectRow {
  return { id, filePath: `demo.gbai/${key}`, etag, present, revision };
}

describe("planBucket", () => {
  it("inserts objects the database does not know", () => {
    const changes = planBucket(
      BUCKET,
      [
        { key: "demo.gbot/config.csv", etag: "e1", size: 120, lastModified: T1 },
        { key: "demo.gbkb/docs/manual.pdf", etag: "e2", size: 9000 },
      ],
      [],
      kindOf,
    );
    expect(changes).toEqual({
      inserts: [
        { filePath: "demo.gbai/demo.gbot/config.csv", kind: SIGHTING_KIND.config, etag: "e1", size: 120, lastModified: T1 },
        { filePath: "demo.gbai/demo.gbkb/docs/manual.pdf", kind: SIGHTING_KIND.kb, etag: "e2", size: 9000, lastModified: undefined },
      ],
      updates: [],
      skipped: [],
    });
    expect(hasChanges(changes)).toBe(true);
  });

  it("updates an object whose ETag changed, carrying the revision read", () => {
    const changes = planBucket(
      BUCKET,
      [{ key: "demo.gbot/config.csv", etag: "new", size: 130, lastModified: T2 }],
      [row("7", "demo.gbot/config.csv", "old", true, "42")],
      kindOf,
    );
    expect(changes.inserts).toEqual([]);
    expect(changes.updates).toEqual([{ id: "7", revision: "42", present: true, etag: "new", size: 130, lastModified: T2 }]);
    expect(changes.skipped).toEqual([]);
    expect(hasChanges(changes)).toBe(true);
  });

  it("updates a row that has no ETag yet (queued by an event without one)", () => {
    const changes = planBucket(BUCKET, [{ key: "demo.gbot/config.csv", etag: "e1", size: 1 }], [row("3", "demo.gbot/config.csv", null, true, "5")], kindOf);
    expect(changes.updates).toEqual([{ id: "3", revision: "5", present: true, etag: "e1", size: 1, lastModified: undefined }]);
  });

  it("marks objects gone from the bucket as not present, keeping the known ETag", () => {
    const changes = planBucket(
      BUCKET,
      [],
      [row("1", "demo.gbot/config.csv", "e1", true, "9"), row("2", "demo.gbdialog/start.bas", "e2", true, "3")],
      kindOf,
    );
    expect(changes.inserts).toEqual([]);
    expect(changes.updates).toEqual([
      { id: "1", revision: "9", present: false, etag: "e1" },
      { id: "2", revision: "3", present: false, etag: "e2" },
    ]);
    expect(hasChanges(changes)).toBe(true);
  });

  it("does not touch rows already recorded as removed", () => {
    const changes = planBucket(BUCKET, [], [row("1", "demo.gbot/config.csv", "e1", false, "9")], kindOf);
    expect(changes).toEqual({ inserts: [], updates: [], skipped: [] });
    expect(hasChanges(changes)).toBe(false);
  });

  it("marks a re-appeared object present again, even with the same ETag", () => {
    const changes = planBucket(
      BUCKET,
      [{ key: "demo.gbot/config.csv", etag: "e1", size: 50, lastModified: T1 }],
      [row("1", "demo.gbot/config.csv", "e1", false, "11")],
      kindOf,
    );
    expect(changes.inserts).toEqual([]);
    expect(changes.updates).toEqual([{ id: "1", revision: "11", present: true, etag: "e1", size: 50, lastModified: T1 }]);
  });

  it("plans nothing when the bucket matches the database", () => {
    const changes = planBucket(
      BUCKET,
      [
        { key: "demo.gbot/config.csv", etag: "e1", size: 50 },
        { key: "demo.gbdialog/start.bas", etag: "e2", size: 60 },
      ],
      [row("1", "demo.gbot/config.csv", "e1"), row("2", "demo.gbdialog/start.bas", "e2")],
      kindOf,
    );
    expect(changes).toEqual({ inserts: [], updates: [], skipped: [] });
    expect(hasChanges(changes)).toBe(false);
  });

  it("ignores keys the classifier returns null for", () => {
    const changes = planBucket(
      BUCKET,
      [
        { key: "notes/readme.txt", etag: "x1", size: 5 },
        { key: "demo.gbot/logo.png", etag: "x2", size: 0 },
      ],
      [],
      kindOf,
    );
    expect(changes).toEqual({ inserts: [], updates: [], skipped: [] });
    expect(hasChanges(changes)).toBe(false);
  });

  it("reports classifier rejections in skipped, without writing", () => {
    const changes = planBucket(
      BUCKET,
      [
        { key: "bad/one", etag: "x1", size: 5 },
        { key: "notes/readme.txt", etag: "x2", size: 5 },
        { key: "demo.gbot/config.csv", etag: "e1", size: 5 },
      ],
      [row("1", "demo.gbot/config.csv", "e1")],
      kindOf,
    );
    expect(changes.skipped).toEqual([{ key: "bad/one", reason: "control character in key" }]);
    expect(changes.inserts).toEqual([]);
    expect(changes.updates).toEqual([]);
    expect(hasChanges(changes)).toBe(false);
  });

  it("matches rows by {bucket}/{key}, nested keys included", () => {
    const changes = planBucket(
      BUCKET,
      [{ key: "demo.gbdialog/sub/dir/start.bas", etag: "e1", size: 5 }],
      [row("1", "demo.gbdialog/sub/dir/start.bas", "e1"), row("2", "demo.gbdialog/start.bas", "e2", true, "4")],
      kindOf,
    );
    expect(changes.inserts).toEqual([]);
    expect(changes.updates).toEqual([{ id: "2", revision: "4", present: false, etag: "e2" }]);
  });

  it("handles new, changed, deleted, re-appeared and unchanged objects together", () => {
    const changes = planBucket(
      BUCKET,
      [
        { key: "demo.gbdialog/new.bas", etag: "n1", size: 1 },
        { key: "demo.gbdialog/changed.bas", etag: "c2", size: 2 },
        { key: "demo.gbdialog/back.bas", etag: "b1", size: 3 },
        { key: "demo.gbdialog/same.bas", etag: "s1", size: 4 },
      ],
      [
        row("10", "demo.gbdialog/changed.bas", "c1", true, "2"),
        row("11", "demo.gbdialog/gone.bas", "g1", true, "3"),
        row("12", "demo.gbdialog/back.bas", "b1", false, "4"),
        row("13", "demo.gbdialog/same.bas", "s1", true, "5"),
      ],
      kindOf,
    );
    expect(changes.inserts).toEqual([{ filePath: "demo.gbai/demo.gbdialog/new.bas", kind: SIGHTING_KIND.dialog, etag: "n1", size: 1, lastModified: undefined }]);
    expect(changes.updates).toEqual([
      { id: "10", revision: "2", present: true, etag: "c2", size: 2, lastModified: undefined },
      { id: "12", revision: "4", present: true, etag: "b1", size: 3, lastModified: undefined },
      { id: "11", revision: "3", present: false, etag: "g1" },
    ]);
    expect(changes.skipped).toEqual([]);
  });
});

describe("hasChanges", () => {
  it("is false when only skipped entries exist", () => {
    expect(hasChanges({ inserts: [], updates: [], skipped: [{ key: "k", reason: "r" }] })).toBe(false);
  });
});

describe("rows of kinds no job handles", () => {
  it("are never queued for removal", () => {
    const changes = planBucket(
      "b.gbai",
      [],
      [{ id: "1", filePath: "b.gbai/b.gbdialog/start.bas", etag: "e", present: true, revision: "1" }],
      (key) => (key.endsWith(".bas") ? null : { ok: true, kind: SIGHTING_KIND.config }),
    );
    expect(changes).toEqual({ inserts: [], updates: [], skipped: [] });
  });
});
