/**
 * POST /webhooks/minio through the whole app, with the real notification parser and ingest use case over an
 * in-memory ingest store: the token (in Authorization, or as radosgw's opaqueData), bodies that are refused
 * (401, 400, 413) with nothing recorded, every outcome answered 2xx, and 503 while the store is down so
 * MinIO keeps the event queued.
 */
import { describe, expect, it } from "vitest";
import type { RecordOutcome } from "../core/ports/ingest-store.js";
import type { JobSlots } from "../core/ports/job-slots.js";
import { BotsyncError } from "../core/errors.js";
import type { ClaimedJob } from "../core/jobs/job-types.js";
import { apiApp, errorOf, WEBHOOK_TOKEN } from "../../test/harness/api-fixtures.js";
import { memoryLogger } from "../../test/harness/app-fakes.js";
import { fixture } from "../../test/harness/fixtures.js";
import { productionKinds } from "../../test/harness/kinds.js";
import { MemoryIngestStore } from "../../test/harness/memory-ingest-store.js";
import { WEBHOOK_MAX_BYTES, webhookRoute } from "./webhook.js";

function webhookApp(options: { buckets?: string[]; slots?: JobSlots } = {}) {
  const store = new MemoryIngestStore({ demo: { id: "id-demo", active: true } });
  const counted: RecordOutcome[] = [];
  let woken = 0;
  const buckets = new Set(options.buckets ?? ["demo.gbai"]);
  const app = apiApp({
    ingest: {
      store,
      drive: { bucketExists: async (bucket: string) => buckets.has(bucket) },
      kinds: productionKinds(),
      loadOnly: null,
      log: memoryLogger(),
      slots: options.slots,
    },
    metrics: { notification: (outcome: RecordOutcome) => void counted.push(outcome) },
    onQueued: () => void woken++,
  });
  const post = (body: unknown, token: string | null = WEBHOOK_TOKEN, headers: Record<string, string> = {}) =>
    app.request("/webhooks/minio", { method: "POST", token, headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { ...app, post, store, counted, woken: () => woken };
}

/** radosgw's push: no Authorization; the topic's OpaqueData in each record */
function cephBody(opaqueData?: string) {
  const body = fixture("ceph-put-config");
  if (opaqueData === undefined) delete body.Records[0].opaqueData;
  else body.Records[0].opaqueData = opaqueData;
  return body;
}

describe("POST /webhooks/minio: the token", () => {
  it("401 without a token, with a wrong one, with three words or a bare token — and nothing is recorded", async () => {
    const { post, request, store } = webhookApp();
    expect(await errorOf(await post(fixture("put-config"), null))).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    expect((await post(fixture("put-config"), "x".repeat(WEBHOOK_TOKEN.length))).status).toBe(401);
    for (const authorization of [`Bearer ${WEBHOOK_TOKEN} extra`, WEBHOOK_TOKEN, "Bearer"]) {
      const res = await request("/webhooks/minio", { method: "POST", token: null, headers: { authorization, "content-type": "application/json" }, body: JSON.stringify(fixture("put-config")) });
      expect(res.status, authorization).toBe(401);
    }
    expect(store.events).toEqual([]);
  });

  it("accepts MinIO's two-word auth_token as it is sent", async () => {
    const { request } = webhookApp();
    const res = await request("/webhooks/minio", { method: "POST", token: null, headers: { authorization: `Token ${WEBHOOK_TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(fixture("put-tagging")) });
    expect(res.status).toBe(200);
  });

  it("refuses a wrong token before reading a body of any size", async () => {
    const { post } = webhookApp();
    expect((await post("x".repeat(2 * WEBHOOK_MAX_BYTES), "wrong-token-0123456789")).status).toBe(401);
  });

  it("without Authorization (radosgw), takes every record's opaqueData as the token", async () => {
    const { post, store } = webhookApp();
    const ok = await post(cephBody(WEBHOOK_TOKEN), null);
    expect(ok.status).toBe(200);
    expect((await ok.json<any>()).records).toEqual([{ bucket: "demo.gbai", key: "demo.gbot/config.csv", eventName: "ObjectCreated:Put", outcome: "queued" }]);
    const recorded = store.events.length;
    expect(await errorOf(await post(cephBody("x".repeat(WEBHOOK_TOKEN.length)), null))).toEqual({ status: 401, code: "UNAUTHORIZED", message: "webhook token (opaqueData) is not valid" });
    expect(await errorOf(await post(cephBody(), null))).toMatchObject({ status: 401, message: expect.stringMatching(/^missing Authorization: Bearer <webhook token> \(a radosgw topic/) });
    // a header, when sent, is what counts: the right opaqueData does not rescue a wrong header
    expect((await post(cephBody(WEBHOOK_TOKEN), "wrong-token-0123456789abc")).status).toBe(401);
    expect(store.events).toHaveLength(recorded);
  });
});

describe("POST /webhooks/minio: bodies that are refused record nothing", () => {
  it("400 INVALID_NOTIFICATION for a body that is not JSON, or JSON that is not a notification (naming the field)", async () => {
    const { post, store } = webhookApp();
    expect(await errorOf(await post("{not json"))).toMatchObject({ status: 400, code: "INVALID_NOTIFICATION", message: expect.stringMatching(/^body is not JSON/) });
    const bad = fixture("put-config");
    bad.Records[0].s3.object.key = 42;
    expect(await errorOf(await post(bad))).toMatchObject({ status: 400, code: "INVALID_NOTIFICATION", message: expect.stringMatching(/Records\[0\]\.s3\.object\.key/) });
    expect((await post({ Records: [] })).status).toBe(400);
    expect(store.events).toEqual([]);
  });

  it("413 for a body over 1 MiB", async () => {
    const { post, store } = webhookApp();
    const body = fixture("put-config");
    body.Records[0].responseElements.padding = "x".repeat(WEBHOOK_MAX_BYTES);
    expect(await errorOf(await post(body))).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
    expect(store.events).toEqual([]);
  });
});

describe("POST /webhooks/minio: every record's outcome is answered 2xx", () => {
  it("queues a change, counts it and wakes the job lanes", async () => {
    const { post, store, counted, woken } = webhookApp();
    const res = await post(fixture("put-config"));
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    webhookRoute.responses[200].content["application/json"].schema.parse(body);
    expect(body).toEqual({ received: 1, records: [{ bucket: "demo.gbai", key: "demo.gbot/config.csv", eventName: "s3:ObjectCreated:Put", outcome: "queued" }] });
    expect(store.events[0]?.sighting).toMatchObject({ botId: "id-demo", filePath: "demo.gbai/demo.gbot/config.csv", kind: { name: "config" }, action: "upsert", etag: "9b2cf535f27731c974343645a3985328" });
    expect(counted).toEqual(["queued"]);
    expect(woken()).toBe(1);
  });

  it("runs a queued object's job at once when its lane has a slot, leased in the same write, and wakes no lane for it", async () => {
    const ran: ClaimedJob[] = [];
    const given: string[] = [];
    const slots: JobSlots = {
      take: (lane) => ({ owner: `me-${lane}`, leaseMs: 5_000, run: (job) => void ran.push(job), release: () => void given.push(lane) }),
    };
    const { post, store, woken } = webhookApp({ slots });
    const res = await post(fixture("put-config"));
    expect(res.status).toBe(200);
    expect((await res.json<any>()).records).toEqual([{ bucket: "demo.gbai", key: "demo.gbot/config.csv", eventName: "s3:ObjectCreated:Put", outcome: "queued" }]);
    expect(ran).toEqual([expect.objectContaining({ filePath: "demo.gbai/demo.gbot/config.csv", kind: "config", botId: "id-demo" })]);
    expect(store.leases.get("demo.gbai/demo.gbot/config.csv")).toBe("me-fast");
    expect(given).toEqual([]);
    expect(woken()).toBe(0);

    // Someone holds the lease now: the next change is queued for the lanes, and the slot goes back unused.
    const changed = fixture("put-config");
    changed.Records[0].s3.object.eTag = "0123456789abcdef0123456789abcdef";
    expect((await post(changed)).status).toBe(200);
    expect(ran).toHaveLength(1);
    expect(given).toEqual(["fast"]);
    expect(woken()).toBe(1);
  });

  it("a lane without room leaves the object to the lanes, woken", async () => {
    const { post, store, woken } = webhookApp({ slots: { take: () => null } });
    expect((await post(fixture("put-config"))).status).toBe(200);
    expect(store.leases.size).toBe(0);
    expect(woken()).toBe(1);
  });

  it.each([
    ["put-tagging", /PutTagging|metadata/i],
    ["noop-delete", /NoOP|did not exist/i],
    ["accessed-get", /Accessed|read/i],
    ["put-other-bucket", /gbai/],
  ])("%s is ignored with its reason, recorded, and wakes nothing", async (name, reason) => {
    const { post, store, counted, woken } = webhookApp();
    const res = await post(fixture(name));
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.records).toEqual([expect.objectContaining({ outcome: "ignored", reason: expect.stringMatching(reason) })]);
    expect(store.events).toEqual([expect.objectContaining({ outcome: "ignored", reason: body.records[0].reason })]);
    expect(counted).toEqual(["ignored"]);
    expect(woken()).toBe(0);
  });

  it("answers each record of an AWS-shaped body; a body of duplicates wakes nothing", async () => {
    const { post, woken, counted } = webhookApp();
    const first = await (await post(fixture("aws-multi-records"))).json<any>();
    expect(first.received).toBe(3);
    expect(first.records.map((r: { key: string; outcome: string }) => [r.key, r.outcome])).toEqual([
      ["demo.gbot/config.csv", "queued"],
      ["demo.gbdialog/my tool.bas", "queued"],
      ["demo.gbkb/faq/perguntas & respostas.md", "duplicate"],
    ]);
    expect(woken()).toBe(1);
    const again = await (await post(fixture("aws-multi-records"))).json<any>();
    expect(again.records.map((r: { outcome: string }) => r.outcome)).toEqual(["duplicate", "duplicate", "duplicate"]);
    expect(woken()).toBe(1);
    expect(counted).toEqual(["queued", "queued", "duplicate", "duplicate", "duplicate", "duplicate"]);
  });
});

describe("POST /webhooks/minio: a store that is down", () => {
  it("answers 503 so MinIO keeps the event queued, and accepts it again once the store is back", async () => {
    const { post, store, woken } = webhookApp();
    store.down = true;
    expect(await errorOf(await post(fixture("put-config")))).toMatchObject({ status: 503, code: "DATABASE_UNAVAILABLE" });
    expect(woken()).toBe(0);
    store.down = false;
    expect((await (await post(fixture("put-config"))).json<any>()).records[0].outcome).toBe("queued");
  });

  it("gives the slot it took back when the record fails, so the lane does not shrink", async () => {
    let taken = 0;
    let given = 0;
    const { post, store } = webhookApp({ slots: { take: () => (taken++, { owner: "me", leaseMs: 5_000, run: () => {}, release: () => void given++ }) } });
    // the bot is found; the write that queues the object fails
    store.recordObjectEvent = async () => {
      throw new BotsyncError("DATABASE_UNAVAILABLE", "database unreachable", { retryable: true });
    };
    expect((await post(fixture("put-config"))).status).toBe(503);
    expect([taken, given]).toEqual([1, 1]);
  });
});
