/**
 * GET /api/bots, /api/bots/:bot, /api/bots/:bot/config and /api/bots/:bot/dialogs through the whole app with
 * port fakes: what each answers from the read model and the drive, the bot name's validation, 404s, and
 * that every answer matches the schema the OpenAPI document and the CLI's client are built from.
 */
import { describe, expect, it } from "vitest";
import type { ConfigRow, DialogState } from "../../core/ports/status-reader.js";
import { apiApp, botSummary, errorOf, NOW, objectState, statusOf, WEBHOOK_TOKEN } from "../../../test/harness/api-fixtures.js";
import { productionKinds } from "../../../test/harness/kinds.js";
import { botConfigRoute, botDetailRoute, botDialogsRoute, listBotsRoute } from "./bots.js";

const DEMO = botSummary("demo", { objects: 3, synced: 2, failed: 1 });
const CONFIG_KEY = "demo.gbot/config.csv";
const DIALOG_KEY = "demo.gbdialog/start.bas";

const schemaOf = (route: { responses: { 200: { content: { "application/json": { schema: { parse(value: unknown): unknown } } } } } }) =>
  route.responses[200].content["application/json"].schema;

/** The demo bot with a config.csv and a dialog; the bucket as `listing` says. */
function demoApp(options: { listing?: () => Promise<Array<{ key: string; etag: string; size: number }>>; subscriptions?: unknown } = {}) {
  const objects = [objectState("demo", CONFIG_KEY), objectState("demo", DIALOG_KEY, { status: "failed", processedEtag: null, attempts: 1, lastError: "BASIC_COMPILE_FAILED: 1 error(s)" })];
  return apiApp({
    status: {
      ...statusOf(DEMO),
      listObjects: async (botId: string) => (botId === DEMO.id ? objects : []),
      configSync: async () => ({ configFilePath: `demo.gbai/${CONFIG_KEY}`, fileHash: `etag-${CONFIG_KEY}`, lastSyncAt: NOW, syncCount: 2, ownedKeys: 1, diagnostics: [] }),
    },
    drive: {
      listObjects:
        options.listing ??
        (async () => [
          { key: CONFIG_KEY, etag: `etag-${CONFIG_KEY}`, size: 10 },
          { key: DIALOG_KEY, etag: `etag-${DIALOG_KEY}`, size: 10 },
          { key: "demo.gbot/logo.png", etag: "no-job-handles-it", size: 10 },
        ]),
    },
    kinds: productionKinds(),
    // S3_NOTIFY off unless the test subscribes
    subscriptions: options.subscriptions,
  } as Parameters<typeof apiApp>[0]);
}

describe("GET /api/bots", () => {
  it("lists every bot with its counts", async () => {
    const bots = [DEMO, botSummary("quiet")];
    const { request } = apiApp({ status: { listBots: async () => bots } });
    const res = await request("/api/bots");
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body).toEqual({ bots });
    schemaOf(listBotsRoute).parse(body);
  });

  it("needs the API token: none, a wrong one and the webhook's are 401", async () => {
    const { request } = apiApp({ status: { listBots: async () => [] } });
    for (const token of [null, "not-the-api-token-at-all", WEBHOOK_TOKEN]) {
      const res = await request("/api/bots", { token });
      expect(await errorOf(res), String(token)).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    }
  });
});

describe("GET /api/bots/:bot", () => {
  it("shows the objects, the config sync state and the drift between bucket and database", async () => {
    const { request } = demoApp();
    const res = await request("/api/bots/demo");
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    schemaOf(botDetailRoute).parse(body);
    expect(body.bot).toEqual(DEMO);
    expect(body.objects.map((o: { key: string; status: string }) => [o.key, o.status])).toEqual([
      [CONFIG_KEY, "synced"],
      [DIALOG_KEY, "failed"],
    ]);
    expect(body.configSync).toMatchObject({ syncCount: 2, ownedKeys: 1 });
    // the failed dialog's bytes were never applied; the logo is no job's object, so it is no drift
    expect(body.drift).toEqual({
      inSync: false,
      entries: [{ key: DIALOG_KEY, kind: "not-processed", bucketEtag: `etag-${DIALOG_KEY}`, knownEtag: `etag-${DIALOG_KEY}`, processedEtag: null, status: "failed" }],
    });
    expect(body.subscription).toBeNull();
  });

  it("reports a bucket that cannot be listed in the drift instead of failing", async () => {
    const { request } = demoApp({
      listing: async () => {
        throw new Error("connect ECONNREFUSED 127.0.0.1:9000");
      },
    });
    const body = await (await request("/api/bots/demo")).json<any>();
    expect(body.drift).toEqual({ inSync: null, entries: [], error: "connect ECONNREFUSED 127.0.0.1:9000" });
  });

  it("shows the bucket's subscription, and a storage server that cannot be asked as state unknown", async () => {
    const asked: string[] = [];
    const subscribed = demoApp({
      subscriptions: {
        mode: "minio",
        status: async (bucket: string) => (asked.push(bucket), { state: "wrong-target", target: "arn:minio:sqs::other:webhook", problems: ["events go elsewhere"] }),
      },
    });
    const body = await (await subscribed.request("/api/bots/demo")).json<any>();
    expect(asked).toEqual(["demo.gbai"]);
    expect(body.subscription).toEqual({ mode: "minio", state: "wrong-target", target: "arn:minio:sqs::other:webhook", problems: ["events go elsewhere"] });
    schemaOf(botDetailRoute).parse(body);

    const unreachable = demoApp({
      subscriptions: {
        mode: "ceph",
        status: async () => {
          throw new Error("radosgw did not answer");
        },
      },
    });
    expect((await (await unreachable.request("/api/bots/demo")).json<any>()).subscription).toEqual({
      mode: "ceph",
      state: "unknown",
      target: null,
      error: "radosgw did not answer",
    });
  });

  it("400 INVALID_BOT_NAME naming the parameter for a name no bucket can have, 404 for an unknown bot", async () => {
    const { request } = apiApp({ status: statusOf(DEMO) });
    for (const name of ["Bad_Name", "-x", "a".repeat(64)]) {
      const invalid = await errorOf(await request(`/api/bots/${name}`));
      expect(invalid, name).toMatchObject({ status: 400, code: "INVALID_BOT_NAME", message: expect.stringMatching(/^bot: not a valid bot name/) });
    }
    expect(await errorOf(await request("/api/bots/nobody"))).toEqual({ status: 404, code: "NOT_FOUND", message: 'no bot named "nobody"' });
  });
});

describe("GET /api/bots/:bot/config and /dialogs", () => {
  it("lists the config rows with their source and the sync state", async () => {
    const rows: ConfigRow[] = [
      { key: "Bot Name", value: "Demo", masked: false, type: "string", isEncrypted: false, source: "config.csv", updatedAt: NOW },
      { key: "smtp-password", value: "********", masked: true, type: "string", isEncrypted: true, source: "config.csv", updatedAt: NOW },
      { key: "manual", value: "set by hand", masked: false, type: "string", isEncrypted: false, source: "other", updatedAt: NOW },
    ];
    const asked: string[] = [];
    const { request } = apiApp({
      status: { ...statusOf(DEMO), listConfig: async (botId: string) => (asked.push(botId), rows), configSync: async () => null },
    });
    const body = await (await request("/api/bots/demo/config")).json<any>();
    schemaOf(botConfigRoute).parse(body);
    expect(body).toEqual({ bot: "demo", sync: null, config: rows });
    expect(asked).toEqual([DEMO.id]);
  });

  it("lists the dialogs with their diagnostics, tool and schedules", async () => {
    const dialog: DialogState = {
      key: DIALOG_KEY,
      filePath: `demo.gbai/${DIALOG_KEY}`,
      status: "synced",
      etag: "e",
      processedEtag: "e",
      lastError: null,
      diagnostics: [{ severity: "warning", code: "w", message: "unused", line: 1, column: 1 }],
      tool: { name: "start", active: true, compiledAt: NOW, astPath: "/work/demo.gbai/demo.gbdialog/start.ast" },
      schedules: ["0 9 * * *"],
    };
    const { request } = apiApp({ status: { ...statusOf(DEMO), listDialogs: async () => [dialog] } });
    const body = await (await request("/api/bots/demo/dialogs")).json<any>();
    schemaOf(botDialogsRoute).parse(body);
    expect(body).toEqual({ bot: "demo", dialogs: [dialog] });
    expect((await request("/api/bots/nobody/dialogs")).status).toBe(404);
  });
});
