import { describe, expect, it } from "vitest";
import { planIngest, type StoredObjectState } from "../../src/core/ingest/plan-ingest.js";
import type { SyncStatus } from "../../src/core/jobs/job-types.js";

const MINIO = "minio:s3 4a1c7b2e-9d3f-4b8e-a6c1-2f5e8d7b9c01";

function state(overrides: Partial<StoredObjectState> = {}): StoredObjectState {
  return { present: true, etag: "etag-a", processedEtag: "etag-a", status: "synced", sequencer: "17E2B3C4D5E6F700", sequencerSource: MINIO, ...overrides };
}

describe("planIngest: stale events", () => {
  it("a remove with an older sequencer from the same source is stale", () => {
    const r = planIngest(state(), { action: "remove", sequencer: "17E2B3C4D5E6F000", sequencerSource: MINIO });
    expect(r.outcome).toBe("stale");
    expect((r as { reason: string }).reason).toContain("17E2B3C4D5E6F700");
    expect((r as { reason: string }).reason).toContain(MINIO);
  });

  it("an upsert with an older sequencer and the processed ETag (or none) is stale", () => {
    expect(planIngest(state(), { action: "upsert", etag: "etag-a", sequencer: "17E2B3C4D5E6F6FF", sequencerSource: MINIO }).outcome).toBe("stale");
    expect(planIngest(state(), { action: "upsert", sequencer: "17E2B3C4D5E6F6FF", sequencerSource: MINIO }).outcome).toBe("stale");
  });

  it("an older sequencer with an ETag other than the processed one is never stale", () => {
    const r = planIngest(state(), { action: "upsert", etag: "etag-b", sequencer: "17E2B3C4D5E6F6FF", sequencerSource: MINIO });
    expect(r).toEqual({ outcome: "queued", freshTry: true });
    // radosgw's deletes carry the deleted object's ETag: one that was never processed is not stale either.
    const remove = planIngest(state(), { action: "remove", etag: "etag-never-processed", sequencer: "17E2B3C4D5E6F000", sequencerSource: MINIO });
    expect(remove).toEqual({ outcome: "queued", freshTry: true });
    // Nothing processed yet: not stale; the ETag already queued makes it a duplicate instead.
    const fresh = planIngest(state({ processedEtag: null, status: "pending" }), { action: "upsert", etag: "etag-a", sequencer: "0000000000000001", sequencerSource: MINIO });
    expect(fresh.outcome).toBe("duplicate");
  });

  it("regression: after a huge sequencer, a smaller one with a new ETag is still queued", () => {
    // An AWS-shaped body, or a node whose clock ran ahead, left a sequencer no later event can beat.
    const afterHuge = state({ sequencer: "FFFFFFFFFFFFFFFF", sequencerSource: MINIO, etag: "etag-a", processedEtag: "etag-a" });
    const next = planIngest(afterHuge, { action: "upsert", etag: "etag-b", sequencer: "17E2B3C4D5E6F800", sequencerSource: MINIO });
    expect(next).toEqual({ outcome: "queued", freshTry: true });
  });

  it("sequencers of different sources are never compared", () => {
    const aws = state({ sequencer: "FFFFFFFFFFFFFFFF", sequencerSource: "aws:s3" });
    expect(planIngest(aws, { action: "remove", sequencer: "0000000000000001", sequencerSource: MINIO })).toEqual({ outcome: "queued", freshTry: true });
    const otherGateway = state({ sequencer: "6B0CD55013A0ACEE", sequencerSource: "ceph:s3 100f-default-default" });
    const later = { action: "remove" as const, sequencer: "6B0CD55000000000", sequencerSource: "ceph:s3 1010-default-default" };
    expect(planIngest(otherGateway, later).outcome).toBe("queued");
  });

  it("a sequencer stored before sources were recorded is never compared", () => {
    expect(planIngest(state({ sequencerSource: null }), { action: "remove", sequencer: "0000000000000001", sequencerSource: MINIO }).outcome).toBe("queued");
  });

  it("a newer sequencer is not stale", () => {
    const r = planIngest(state(), { action: "upsert", etag: "etag-b", sequencer: "17E2B3C4D5E6F701", sequencerSource: MINIO });
    expect(r).toEqual({ outcome: "queued", freshTry: true });
  });

  it("an equal sequencer is not stale (a replay of the same event is a duplicate)", () => {
    const seq = "17E2B3C4D5E6F700";
    const e = { sequencer: seq, sequencerSource: MINIO };
    expect(planIngest(state(), { action: "upsert", etag: "etag-b", ...e })).toEqual({ outcome: "queued", freshTry: true });
    expect(planIngest(state(), { action: "upsert", etag: "etag-a", ...e }).outcome).toBe("duplicate");
    expect(planIngest(state(), { action: "remove", ...e })).toEqual({ outcome: "queued", freshTry: true });
  });

  it("is never stale when either side has no sequencer or the event no source", () => {
    expect(planIngest(state({ sequencer: null }), { action: "remove", sequencer: "0000000000000001", sequencerSource: MINIO }).outcome).toBe("queued");
    expect(planIngest(state({ sequencer: "FFFFFFFFFFFFFFFF" }), { action: "remove" }).outcome).toBe("queued");
    expect(planIngest(state(), { action: "remove", sequencer: "0000000000000001" }).outcome).toBe("queued");
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
