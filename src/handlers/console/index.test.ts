/**
 * The console's routes through the whole app (`createApp().request()`) with the port fakes: sign-in and its
 * cookie, CSRF rejection, redirects without a session, what the pages render from the read models, and
 * that the console never opens the JSON API.
 */
import { describe, expect, it } from "vitest";
import type { BotSummary, ConfigRow, DialogState, EventRow, ObjectState } from "../../core/ports/status-reader.js";
import type { ReconcileReport } from "../../core/reconcile/reconcile.js";
import { productionKinds } from "../../../test/harness/kinds.js";
import { fakeAppDeps, type FakeAppDeps } from "../../../test/harness/app-fakes.js";
import { createApp } from "../app.js";
import type { AppDeps } from "../app-deps.js";

const API_TOKEN = "console-test-api-token-0123456789";
const NOW = "2026-07-01T10:00:00.000Z";

const BOT: BotSummary = { id: "b1", name: "demo", active: true, objects: 2, synced: 1, pending: 0, retrying: 0, failed: 1, lastEventAt: NOW, configSyncedAt: NOW };
const QUIET: BotSummary = { ...BOT, id: "b2", name: "quiet", objects: 1, synced: 1, failed: 0 };

const FAILED_DIALOG: DialogState = {
  key: "demo.gbdialog/start.bas",
  filePath: "demo.gbai/demo.gbdialog/start.bas",
  status: "failed",
  etag: "e-bas",
  processedEtag: null,
  lastError: "BASIC_COMPILE_FAILED: 1 error(s)",
  diagnostics: [{ severity: "error", code: "unknown-statement", message: "Unknown statement 'FOO'", line: 2, column: 3, endLine: 2, endColumn: 6 } as DialogState["diagnostics"][number]],
  tool: null,
  schedules: [],
};
const SOURCE = 'TALK "hi"\n  FOO BAR\nTALK "bye"\n';

function object(key: string, status: ObjectState["status"], etag: string): ObjectState {
  return {
    key, filePath: `demo.gbai/${key}`, fileType: key.endsWith(".bas") ? "bas" : "config", present: true, status, leased: false, etag,
    processedEtag: status === "synced" ? etag : null, processedAt: null, size: 10, attempts: status === "failed" ? 3 : 0, nextAttemptAt: null,
    lastError: status === "failed" ? "BASIC_COMPILE_FAILED: 1 error(s)" : null, diagnostics: [],
  };
}

const CONFIG: ConfigRow[] = [
  { key: "Bot Name", value: "<script>alert(1)</script>", masked: false, type: "string", isEncrypted: false, source: "config.csv", updatedAt: NOW },
  { key: "smtp-password", value: "********", masked: true, type: "string", isEncrypted: true, source: "config.csv", updatedAt: NOW },
];

function event(id: string, key: string, result: EventRow["result"]): EventRow {
  return { id, receivedAt: NOW, source: "webhook", eventName: "s3:ObjectCreated:Put", bucket: "demo.gbai", key, etag: "e", outcome: "queued", reason: null, result, objectStatus: null, lastError: null };
}

const REPORT: ReconcileReport = {
  status: "done", startedAt: NOW, durationMs: 3, queued: 2,
  buckets: [{ bucket: "demo.gbai", bot: "demo", objects: 2, queued: 2, removed: 0, skipped: [] }], ignoredBuckets: [],
};

function console_(overrides: Partial<Record<keyof AppDeps, unknown>> = {}) {
  const calls = { reconcile: [] as Array<string | undefined>, reindex: [] as Array<[string, string | undefined]>, queued: 0 };
  const deps: FakeAppDeps = fakeAppDeps({
    secrets: { tokens: async () => ({ api: API_TOKEN, webhook: "webhook-token-0123456789" }) },
    status: {
      listBots: async () => [QUIET, BOT],
      findBot: async (name: string) => [BOT, QUIET].find((b) => b.name === name) ?? null,
      listObjects: async (botId: string) => (botId === BOT.id ? [object("demo.gbdialog/start.bas", "failed", "e-bas"), object("demo.gbot/config.csv", "synced", "e-csv")] : [object("quiet.gbot/config.csv", "synced", "q")]),
      configSync: async () => null,
      listConfig: async () => CONFIG,
      listDialogs: async () => [FAILED_DIALOG],
      listKbDocuments: async () => [],
      listEvents: async () => [event("7", "demo.gbot/config.csv", "processed")],
    },
    kbReindex: {
      queueReindex: async (bot: { id: string }, kb?: string) => {
        calls.reindex.push([bot.id, kb]);
        return { queued: 4, kbs: ["faq"] };
      },
    },
    drive: {
      listObjects: async (bucket: string) =>
        bucket === "demo.gbai"
          ? [{ key: "demo.gbdialog/start.bas", etag: "e-bas", size: 10 }, { key: "demo.gbot/config.csv", etag: "e-csv", size: 10 }]
          : [{ key: "quiet.gbot/config.csv", etag: "q", size: 10 }],
      getObject: async (_bucket: string, key: string) => ({ key, etag: "e-bas", size: SOURCE.length, bytes: new TextEncoder().encode(SOURCE) }),
    },
    kinds: productionKinds(),
    reconcile: async (bot?: string) => {
      calls.reconcile.push(bot);
      return REPORT;
    },
    onQueued: () => void calls.queued++,
    liveEvents: { shutdown: new AbortController().signal },
    // S3_NOTIFY off unless a test turns it on
    subscriptions: undefined,
    ...overrides,
  } as Parameters<typeof fakeAppDeps>[0]);
  const app = createApp();
  const request = (path: string, init?: RequestInit) => app.request(`http://console.test${path}`, init, { deps });
  return { request, deps, calls };
}

async function signIn(request: ReturnType<typeof console_>["request"]): Promise<{ cookie: string; csrf: string }> {
  const res = await request("/sign-in", { method: "POST", body: new URLSearchParams({ token: API_TOKEN, next: "/" }) });
  expect(res.status).toBe(303);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const page = await (await request("/", { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  return { cookie, csrf };
}

describe("signing in", () => {
  it("sends every page to the sign-in page without a session, and back after it", async () => {
    const { request } = console_();
    for (const path of ["/", "/bots/demo", "/events?bot=demo", "/validate"]) {
      const res = await request(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location"), path).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    }
    const form = await request("/sign-in?next=%2Fbots%2Fdemo");
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<label for="token">API token</label>');
    expect(html).toContain('name="next" value="/bots/demo"');
  });

  it("a wrong token gets 401, no cookie, and a warning that does not carry it", async () => {
    const { request, deps } = console_();
    const res = await request("/sign-in", { method: "POST", body: new URLSearchParams({ token: "wrong-token-typed-by-someone", next: "/" }) });
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.text()).toContain("That is not the API token");
    const logged = JSON.stringify(deps.log.lines);
    expect(logged).toContain("console sign-in refused");
    expect(logged).not.toContain("wrong-token-typed-by-someone");
  });

  it("the right token sets an HttpOnly, SameSite=Strict session cookie and goes to a local `next` only", async () => {
    const { request } = console_();
    const res = await request("/sign-in", { method: "POST", body: new URLSearchParams({ token: API_TOKEN, next: "/bots/demo" }) });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/bots/demo");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^botsync_session=.+; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain(API_TOKEN);
    const offsite = await request("/sign-in", { method: "POST", body: new URLSearchParams({ token: API_TOKEN, next: "//evil.example/" }) });
    expect(offsite.headers.get("location")).toBe("/");
    // signed in already: the sign-in page moves on
    const again = await request("/sign-in?next=%2Fevents", { headers: { cookie: cookie.split(";")[0]! } });
    expect(again.headers.get("location")).toBe("/events");
  });

  it("refuses a sign-in posted from another site", async () => {
    const { request } = console_();
    const res = await request("/sign-in", { method: "POST", headers: { "sec-fetch-site": "cross-site" }, body: new URLSearchParams({ token: API_TOKEN }) });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("signing out deletes the cookie and needs the CSRF token", async () => {
    const { request } = console_();
    const { cookie, csrf } = await signIn(request);
    expect((await request("/sign-out", { method: "POST", headers: { cookie }, body: new URLSearchParams({}) })).status).toBe(403);
    const res = await request("/sign-out", { method: "POST", headers: { cookie }, body: new URLSearchParams({ _csrf: csrf }) });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/sign-in?signed-out");
    expect(res.headers.get("set-cookie")).toMatch(/^botsync_session=; Max-Age=0; Path=\//);
  });

  it("a session does not open the JSON API, which keeps taking only the bearer token", async () => {
    const { request } = console_();
    const { cookie } = await signIn(request);
    expect((await request("/api/bots", { headers: { cookie } })).status).toBe(401);
    expect((await request("/api/bots", { headers: { authorization: `Bearer ${API_TOKEN}` } })).status).toBe(200);
  });
});

describe("forms", () => {
  it("sync now without the CSRF token is refused and reconciles nothing; with it, reconciles the bot and says what was queued", async () => {
    const { request, calls } = console_();
    const { cookie, csrf } = await signIn(request);
    const refused = await request("/bots/demo/sync", { method: "POST", headers: { cookie }, body: new URLSearchParams({ _csrf: "forged" }) });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("CSRF token");
    expect(calls.reconcile).toEqual([]);

    const res = await request("/bots/demo/sync", { method: "POST", headers: { cookie }, body: new URLSearchParams({ _csrf: csrf }) });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/bots/demo?synced=2");
    expect(calls.reconcile).toEqual(["demo"]);
    expect(calls.queued).toBe(1);
    expect(await (await request("/bots/demo?synced=2", { headers: { cookie } })).text()).toContain("Sync finished: 2 objects queued.");
  });

  it("re-index queues the bot's documents", async () => {
    const { request, calls } = console_();
    const { cookie, csrf } = await signIn(request);
    const res = await request("/bots/demo/reindex", { method: "POST", headers: { cookie }, body: new URLSearchParams({ _csrf: csrf }) });
    expect(res.headers.get("location")).toBe("/bots/demo?reindexed=4#kb");
    expect(calls.reindex).toEqual([["b1", undefined]]);
  });

  it("a form without a session goes to the sign-in page", async () => {
    const { request, calls } = console_();
    const res = await request("/bots/demo/sync", { method: "POST", body: new URLSearchParams({ _csrf: "x" }) });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/sign-in?next=%2F");
    expect(calls.reconcile).toEqual([]);
  });
});

describe("pages", () => {
  it("Bots: the bot that needs attention comes first and stands out", async () => {
    const { request } = console_();
    const { cookie } = await signIn(request);
    const res = await request("/", { headers: { cookie } });
    const html = await res.text();
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'nonce-[^']+'/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const rows = [...html.matchAll(/<tr( class="attention")? data-bot="(\w+)"/g)].map((m) => [m[2], m[1] !== undefined]);
    expect(rows).toEqual([
      ["demo", true],
      ["quiet", false],
    ]);
    expect(html).toContain("1 needs attention");
    // sorted by name instead
    const byName = await (await request("/?sort=name", { headers: { cookie } })).text();
    expect([...byName.matchAll(/data-bot="(\w+)"/g)].map((m) => m[1])).toEqual(["demo", "quiet"]);
    const byNameDesc = await (await request("/?sort=name&dir=desc", { headers: { cookie } })).text();
    expect([...byNameDesc.matchAll(/data-bot="(\w+)"/g)].map((m) => m[1])).toEqual(["quiet", "demo"]);
  });

  it("Bots and Bot: a bucket not subscribed to notifications stands out, with what the storage server says", async () => {
    const subscriptions = {
      mode: "minio" as const,
      status: async (bucket: string) =>
        bucket === "quiet.gbai"
          ? { state: "not-subscribed" as const, target: "arn:minio:sqs::botsync:webhook", problems: ["no configuration with id botsync"] }
          : { state: "subscribed" as const, target: "arn:minio:sqs::botsync:webhook" },
    };
    const { request } = console_({ subscriptions });
    const { cookie } = await signIn(request);
    const html = await (await request("/", { headers: { cookie } })).text();
    // quiet's objects are all synced; only its subscription makes it need attention
    expect([...html.matchAll(/<tr( class="attention")? data-bot="(\w+)"/g)].map((m) => [m[2], m[1] !== undefined])).toEqual([
      ["demo", true],
      ["quiet", true],
    ]);
    expect(html).toMatch(/data-bot="quiet"[\s\S]*?title="no configuration with id botsync"[\s\S]*?not-subscribed/);
    const page = await (await request("/bots/quiet", { headers: { cookie } })).text();
    expect(page).toContain("no configuration with id botsync — changes wait for the next reconcile.");
  });

  it("Bot: the diagnostic's columns are marked on its source line with the reason; values are escaped; secrets masked", async () => {
    const { request } = console_();
    const { cookie } = await signIn(request);
    const html = await (await request("/bots/demo", { headers: { cookie } })).text();
    const line2 = /<li id="dialog-1-L2" class="error">(.*?)<\/li>/.exec(html)?.[1];
    expect(line2).toContain('<span class="code">  <mark class="error">FOO</mark> BAR</span>');
    expect(line2).toContain("unknown-statement</code>: Unknown statement &#39;FOO&#39;");
    expect(html).toContain('<li id="dialog-1-L1">');
    expect(html).toContain('<a href="#dialog-1-L2">line 2:3</a>');
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toMatch(/data-config-key="smtp-password".*?\*{8} <span class="badge s-ignored">sealed<\/span>/);
  });

  it("Bot: 400 for a name no bot can have, 404 for an unknown bot, as pages", async () => {
    const { request } = console_();
    const { cookie } = await signIn(request);
    const invalid = await request("/bots/Bad_Name", { headers: { cookie } });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await invalid.text()).toContain("INVALID_BOT_NAME");
    const unknown = await request("/bots/nobody", { headers: { cookie } });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("no bot named &quot;nobody&quot;");
  });

  it("Events: streams on a runtime that can (Node), polls where it cannot (Workers)", async () => {
    const node = console_();
    const onNode = await signIn(node.request);
    expect(await (await node.request("/events", { headers: { cookie: onNode.cookie } })).text()).toContain('data-live="sse" data-src="/events/stream"');

    const worker = console_({ liveEvents: null });
    const onWorker = await signIn(worker.request);
    const page = await (await worker.request("/events?bot=demo", { headers: { cookie: onWorker.cookie } })).text();
    expect(page).toContain('data-live="poll" data-src="/events/rows?bot=demo"');
    expect((await worker.request("/events/stream", { headers: { cookie: onWorker.cookie } })).status).toBe(404);
    const rows = await worker.request("/events/rows?bot=demo", { headers: { cookie: onWorker.cookie } });
    expect(await rows.text()).toMatch(/^<tr id="ev-7">.*processed.*<\/tr>$/);
    // a script's fetch without a session gets 401, not a redirect to a page
    expect((await worker.request("/events/rows")).status).toBe(401);
  });

  it("Validate: the pasted script's diagnostics are shown on its lines", async () => {
    const { request } = console_({
      validator: {
        validate: async ({ kind, text }: { kind: string; text: string }) => ({
          kind, ok: false, artifacts: null, schedules: [],
          diagnostics: text.includes("FOO") ? [{ severity: "error", code: "unknown-statement", message: "Unknown statement 'FOO'", line: 2, column: 1 }] : [],
        }),
      },
    });
    const { cookie, csrf } = await signIn(request);
    const body = new FormData();
    body.set("_csrf", csrf);
    body.set("kind", "bas");
    body.set("text", 'TALK "hi"\r\nFOO BAR\r\n');
    const html = await (await request("/validate", { method: "POST", headers: { cookie }, body })).text();
    expect(html).toContain('<li id="pasted-L2" class="error"><span class="ln">2</span><span class="code"><mark class="error">FOO</mark> BAR</span>');
    // the text box keeps what was pasted
    expect(html).toContain("TALK &quot;hi&quot;\nFOO BAR\n</textarea>");
  });

  it("no page is over 100 KB before data", async () => {
    const { request } = console_({
      status: {
        listBots: async () => [],
        listEvents: async () => [],
        findBot: async () => ({ ...BOT, objects: 0, failed: 0, synced: 0 }),
        listObjects: async () => [],
        configSync: async () => null,
        listConfig: async () => [],
        listDialogs: async () => [],
        listKbDocuments: async () => [],
      },
      drive: { listObjects: async () => [] },
    });
    const { cookie } = await signIn(request);
    const sizes: Record<string, number> = { "/sign-in": (await (await request("/sign-in")).arrayBuffer()).byteLength };
    for (const path of ["/", "/bots/demo", "/events", "/validate"]) sizes[path] = (await (await request(path, { headers: { cookie } })).arrayBuffer()).byteLength;
    for (const [path, bytes] of Object.entries(sizes)) expect(bytes, path).toBeLessThan(100 * 1024);
  });
});
