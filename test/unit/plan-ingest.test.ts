import { describe, expect, it } from "vitest";
import { planIngest, type StoredObjectState } from "../../src/core/ingest/plan-ingest.js";
import type { SyncStatus } from "../../src/core/jobs/job-types.js";

function state(overrides: Partial<StoredObjectState> = {}): StoredObjectState {
  return { present: true, etag: "etag-a", processedEtag: "etag-a", status: "synced", sequencer: "17E2B3C4D5E6F700", ...overrides };
}

describe("planIngest: stale events", () => {
  it("an upsert with an older sequencer is stale, even with a new ETag", () => {
    const r = planIngest(state({ sequencer: "17E2B3C4D5E6F700" }), { action: "upsert", etag: "etag-b", sequencer: "17E2B3C4D5E6F6FF" });
    expect(r.outcome).toBe("stale");
    expect(r).toHaveProperty("reason");
    expect((r as { reason: string }).reason).toContain("17E2B3C4D5E6F700");
  });

  it("a remove with an older sequencer is stale", () => {
    const r = planIngest(state({ sequencer: "17E2B3C4D5E6F700" }), { action: "remove", sequencer: "17E2B3C4D5E6F000" });
    expect(r.outcome).toBe("stale");
  });

  it("a newer sequencer is not stale", () => {
    const r = planIngest(state({ sequencer: "17E2B3C4D5E6F700" }), { action: "upsert", etag: "etag-b", sequencer: "17E2B3C4D5E6F701" });
    expect(r).toEqual({ outcome: "queued", freshTry: true });
  });

  it("an equal sequencer is not stale (a replay of the same event is a duplicate)", () => {
    const seq = "17E2B3C4D5E6F700";
    expect(planIngest(state({ sequencer: seq }), { action: "upsert", etag: "etag-b", sequencer: seq })).toEqual({ outcome: "queued", freshTry: true });
    expect(planIngest(state({ sequencer: seq }), { action: "upsert", etag: "etag-a", sequencer: seq }).outcome).toBe("duplicate");
    expect(planIngest(state({ sequencer: seq }), { action: "remove", sequencer: seq })).toEqual({ outcome: "queued", freshTry: true });
  });

  it("is never stale when either side has no sequencer", () => {
    expect(planIngest(state({ sequencer: null }), { action: "upsert", etag: "etag-b", sequencer: "0000000000000001" }).outcome).toBe("queued");
    expect(planIngest(state({ sequencer: "FFFFFFFFFFFFFFFF" }), { action: "upsert", etag: "etag-b" }).outcome).toBe("queued");
  });
});

describe("planIngest: duplicates of the stored ETag", () => {
  it.each<[SyncStatus, string]>([
    ["pending", "this ETag is already queued"],
    ["synced", "this ETag is already processed"],
    ["retry", "this ETag is already queued for a retry"],
  ])("status %s → duplicate: %s", (status, reason) => {
    const r = planIngest(state({ status }), { action: "upsert", etag: "etag-a", sequencer: "17E2B3C4D5E6F800" });
    expect(r).toEqual({ outcome: "duplicate", reason });
  });

  it("status failed → duplicate, telling the operator to upload a changed file", () => {
    const r = planIngest(state({ status: "failed", processedEtag: null }), { action: "upsert", etag: "etag-a" });
    expect(r.outcome).toBe("duplicate");
    const reason = (r as { reason: string }).reason;
    expect(reason).toMatch(/failed/);
    expect(reason).toMatch(/upload a changed file/);
  });

  it("the reason differs per status", () => {
    const reasons = (["pending", "synced", "retry", "failed"] as const).map(
      (status) => (planIngest(state({ status }), { action: "upsert", etag: "etag-a" }) as { reason: string }).reason,
    );
    expect(new Set(reasons).size).toBe(4);
  });
});

describe("planIngest: queued", () => {
  it("a first sighting is queued with a fresh try", () => {
    expect(planIngest(null, { action: "upsert", etag: "etag-a", sequencer: "17E2B3C4D5E6F700" })).toEqual({ outcome: "queued", freshTry: true });
  });

  it("a new ETag of a failed object gets a fresh try", () => {
    const r = planIngest(state({ status: "failed", etag: "etag-a", processedEtag: null }), { action: "upsert", etag: "etag-b" });
    expect(r).toEqual({ outcome: "queued", freshTry: true });
  });

  it("a new ETag of an object in retry gets a fresh try", () => {
    const r = planIngest(state({ status: "retry", etag: "etag-a" }), { action: "upsert", etag: "etag-b" });
    expect(r).toEqual({ outcome: "queued", freshTry: true });
  });

  it("an object that re-appears with its old ETag is queued with a fresh try", () => {
    const r = planIngest(state({ present: false, etag: "etag-a", status: "synced" }), { action: "upsert", etag: "etag-a" });
    expect(r).toEqual({ outcome: "queued", freshTry: true });
  });

  it.each<SyncStatus>(["pending", "synced", "retry", "failed"])(
    "an upsert without ETag is queued to re-check the object, keeping the backoff (status %s)",
    (status) => {
      expect(planIngest(state({ status }), { action: "upsert" })).toEqual({ outcome: "queued", freshTry: false });
    },
  );

  it("an upsert without ETag for an unknown object is queued with a fresh try", () => {
    expect(planIngest(null, { action: "upsert" })).toEqual({ outcome: "queued", freshTry: true });
  });
});

describe("planIngest: removals", () => {
  it("removing an untracked object is a duplicate", () => {
    const r = planIngest(null, { action: "remove", sequencer: "17E2B3C4D5E6F700" });
    expect(r).toEqual({ outcome: "duplicate", reason: "object is not tracked; nothing to remove" });
  });

  it("removing an object already removed is a duplicate", () => {
    const r = planIngest(state({ present: false }), { action: "remove", sequencer: "17E2B3C4D5E6F800" });
    expect(r).toEqual({ outcome: "duplicate", reason: "removal already recorded" });
  });

  it.each<SyncStatus>(["pending", "synced", "retry", "failed"])("removing a present object is queued (status %s)", (status) => {
    expect(planIngest(state({ status }), { action: "remove", sequencer: "17E2B3C4D5E6F800" })).toEqual({ outcome: "queued", freshTry: true });
  });
});
