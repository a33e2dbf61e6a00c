/**
 * The HTTP API on the running service, against PostgreSQL and an S3 server: what it answers from real
 * rows and a real bucket. Validation, tokens, status codes and the OpenAPI document are the handlers'
 * own and tested in process (src/handlers/**\/*.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture } from "../harness/fixtures.js";
import { startStack, type Stack } from "../harness/stack.js";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { LOAD_ONLY: " api1 , api2 ,," } });
  for (const bot of ["api1", "api2", "other"]) await stack.createBucket(`${bot}.gbai`);
  await stack.put("api1.gbai", "api1.gbot/config.csv", "Bot Name,API One\nllm-temperature,0.2\n");
  await stack.put("other.gbai", "other.gbot/config.csv", "x,1\n");
  await stack.settle();
});
afterAll(async () => {
  await stack?.close();
});

describe("LOAD_ONLY", () => {
  it("notifications for other bots are recorded as ignored and create nothing", async () => {
    const bots = await stack.db.sql`select name from bots order by name`;
    expect(bots.map((b) => b.name)).toEqual(["api1"]);
    const [event] = await stack.db.sql`select outcome, reason from botsync_events where bucket = 'other.gbai'`;
    expect(event).toEqual({ outcome: "ignored", reason: 'bot "other" is not in LOAD_ONLY' });
  });
});

describe("GET /api/bots, /api/bots/:bot, /api/bots/:bot/config", () => {
  it("lists bots with their counts", async () => {
    const body = await (await stack.api("/api/bots")).json<any>();
    expect(body.bots).toEqual([
      expect.objectContaining({ name: "api1", active: true, objects: 1, synced: 1, pending: 0, retrying: 0, failed: 0 }),
    ]);
    expect(body.bots[0].configSyncedAt).toEqual(expect.any(String));
  });

  it("shows a bot's objects, config sync state and drift", async () => {
    const body = await (await stack.api("/api/bots/api1")).json<any>();
    expect(body.objects).toEqual([
      expect.objectContaining({ key: "api1.gbot/config.csv", status: "synced", present: true, leased: false, attempts: 0, lastError: null }),
    ]);
    expect(body.objects[0].processedEtag).toBe(body.objects[0].etag);
    expect(body.configSync).toMatchObject({ configFilePath: "api1.gbai/api1.gbot/config.csv", syncCount: 1, ownedKeys: 2 });
    expect(body.drift).toEqual({ inSync: true, entries: [] });
  });

  it("shows the config rows with their source", async () => {
    const [bot] = await stack.db.sql<{ id: string }[]>`select id from bots where name = 'api1'`;
    await stack.db.sql`insert into bot_configuration (bot_id, config_key, config_value) values (${bot!.id}, 'manual', 'set by hand')`;
    const body = await (await stack.api("/api/bots/api1/config")).json<any>();
    expect(body.config.map((r: { key: string; value: string; type: string; source: string }) => [r.key, r.value, r.type, r.source])).toEqual([
      ["Bot Name", "API One", "string", "config.csv"],
      ["llm-temperature", "0.2", "number", "config.csv"],
      ["manual", "set by hand", "string", "other"],
    ]);
  });

});

describe("POST /api/bots/:bot/sync and /api/reconcile", () => {
  it("syncs a bot whose notification was lost", async () => {
    await stack.createBucket("api2.gbai").catch(() => {});
    stack.notifications.mode = "drop";
    await stack.put("api2.gbai", "api2.gbot/config.csv", "k,v\n");
    await stack.put("api1.gbai", "api1.gbot/config.csv", "Bot Name,API One v2\n");
    stack.notifications.mode = "deliver";
    // api2 has no bots row yet: only a full reconcile discovers it
    expect((await stack.api("/api/bots/api2/sync", { method: "POST" })).status).toBe(404);
    const one = await (await stack.api("/api/bots/api1/sync", { method: "POST" })).json<any>();
    expect(one).toMatchObject({ status: "done", queued: 1, buckets: [{ bucket: "api1.gbai", queued: 1 }] });
    const all = await (await stack.api("/api/reconcile", { method: "POST" })).json<any>();
    expect(all.buckets.map((b: { bucket: string }) => b.bucket)).toEqual(["api1.gbai", "api2.gbai"]);
    await stack.settle();
    const names = (await (await stack.api("/api/bots")).json<any>()).bots.map((b: { name: string; synced: number }) => [b.name, b.synced]);
    expect(names).toEqual([
      ["api1", 1],
      ["api2", 1],
    ]);
  });
});

describe("GET /api/events", () => {
  it("shows recent notifications and what became of them", async () => {
    await stack.postWebhook(fixture("put-tagging"));
    const body = await (await stack.api("/api/events?limit=50")).json<any>();
    const tagging = body.events.find((e: { eventName: string }) => e.eventName === "s3:ObjectCreated:PutTagging");
    expect(tagging).toMatchObject({ outcome: "ignored", result: "ignored", bucket: "demo.gbai" });
    const applied = body.events.find((e: { key: string; outcome: string }) => e.key === "api1.gbot/config.csv" && e.outcome === "queued");
    expect(applied.result).toMatch(/^(processed|superseded)$/);
    const scoped = await (await stack.api("/api/events?bot=api1")).json<any>();
    expect(scoped.events.every((e: { bucket: string }) => e.bucket === "api1.gbai")).toBe(true);
  });
});

describe("GET /health", () => {
  it("reports each dependency", async () => {
    const res = await fetch(`${stack.service.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json<any>()).toEqual({
      status: "ok",
      checks: { database: { ok: true }, drive: { ok: true }, secrets: { ok: true, source: "environment" } },
    });
  });
});
