import { describe, expect, it } from "vitest";
import { computeDrift, type TrackedObject } from "../../src/core/status/drift.js";

const all = () => true;

function tracked(key: string, overrides: Partial<TrackedObject> = {}): TrackedObject {
  return { key, etag: "e1", processedEtag: "e1", present: true, status: "synced", ...overrides };
}

describe("computeDrift", () => {
  it("is empty when bucket and database agree", () => {
    expect(computeDrift([{ key: "a.bas", etag: "e1", size: 1 }], [tracked("a.bas")], all)).toEqual([]);
  });

  it("untracked: in the bucket, unknown to the database", () => {
    expect(computeDrift([{ key: "a.bas", etag: "e9", size: 1 }], [], all)).toEqual([
      { key: "a.bas", kind: "untracked", bucketEtag: "e9", knownEtag: null, processedEtag: null, status: null },
    ]);
  });

  it("untracked: in the bucket, but recorded as removed", () => {
    expect(
      computeDrift([{ key: "a.bas", etag: "e2", size: 1 }], [tracked("a.bas", { present: false, etag: "e1", processedEtag: "e1", status: "synced" })], all),
    ).toEqual([{ key: "a.bas", kind: "untracked", bucketEtag: "e2", knownEtag: "e1", processedEtag: "e1", status: "synced" }]);
  });

  it("etag-differs: the database knows an older version", () => {
    expect(
      computeDrift([{ key: "a.bas", etag: "e2", size: 1 }], [tracked("a.bas", { etag: "e1", processedEtag: "e1", status: "synced" })], all),
    ).toEqual([{ key: "a.bas", kind: "etag-differs", bucketEtag: "e2", knownEtag: "e1", processedEtag: "e1", status: "synced" }]);
  });

  it("not-processed: known, but not applied yet", () => {
    expect(
      computeDrift([{ key: "a.bas", etag: "e2", size: 1 }], [tracked("a.bas", { etag: "e2", processedEtag: "e1", status: "pending" })], all),
    ).toEqual([{ key: "a.bas", kind: "not-processed", bucketEtag: "e2", knownEtag: "e2", processedEtag: "e1", status: "pending" }]);
  });

  it("not-processed: known, but failed (never processed)", () => {
    expect(
      computeDrift([{ key: "a.bas", etag: "e2", size: 1 }], [tracked("a.bas", { etag: "e2", processedEtag: null, status: "failed" })], all),
    ).toEqual([{ key: "a.bas", kind: "not-processed", bucketEtag: "e2", knownEtag: "e2", processedEtag: null, status: "failed" }]);
  });

  it("deleted-in-bucket: the database still holds an object the bucket no longer has", () => {
    expect(computeDrift([], [tracked("a.bas", { etag: "e1", processedEtag: "e1", status: "synced" })], all)).toEqual([
      { key: "a.bas", kind: "deleted-in-bucket", bucketEtag: null, knownEtag: "e1", processedEtag: "e1", status: "synced" },
    ]);
  });

  it("a removed row absent from the bucket is not drift", () => {
    expect(computeDrift([], [tracked("a.bas", { present: false })], all)).toEqual([]);
  });

  it("filters bucket keys with isTracked", () => {
    const isTracked = (key: string) => key.endsWith(".bas");
    const drift = computeDrift(
      [
        { key: "readme.txt", etag: "x", size: 1 },
        { key: "logo.png", etag: "y", size: 1 },
        { key: "start.bas", etag: "z", size: 1 },
      ],
      [],
      isTracked,
    );
    expect(drift.map((d) => d.key)).toEqual(["start.bas"]);
    expect(drift[0]!.kind).toBe("untracked");
  });

  it("sorts entries by key, whatever their kind and input order", () => {
    const drift = computeDrift(
      [
        { key: "d.bas", etag: "d2", size: 1 },
        { key: "b.bas", etag: "b1", size: 1 },
        { key: "c.bas", etag: "c2", size: 1 },
        { key: "e.bas", etag: "e1", size: 1 },
      ],
      [
        tracked("e.bas", { etag: "e1", processedEtag: "e1" }),
        tracked("c.bas", { etag: "c2", processedEtag: "c1", status: "retry" }),
        tracked("d.bas", { etag: "d1", processedEtag: "d1" }),
        tracked("a.bas", { etag: "a1", processedEtag: "a1" }),
      ],
      all,
    );
    expect(drift.map((d) => [d.key, d.kind])).toEqual([
      ["a.bas", "deleted-in-bucket"],
      ["b.bas", "untracked"],
      ["c.bas", "not-processed"],
      ["d.bas", "etag-differs"],
    ]);
  });
});
