/**
 * Read-model rows and a request helper for the handler tests that go through `createApp().request()` with
 * port fakes (test/harness/app-fakes.ts): each test states the ports its route uses, and sends requests
 * with the API token unless it says otherwise.
 */
import type { BotSummary, ObjectState } from "../../src/core/ports/status-reader.js";
import type { ReconcileReport } from "../../src/core/reconcile/reconcile.js";
import { createApp } from "../../src/handlers/app.js";
import { fakeAppDeps, type FakeAppDeps } from "./app-fakes.js";

export const API_TOKEN = "handler-test-api-token-0123456789";
export const WEBHOOK_TOKEN = "handler-test-webhook-token-0123456789";
export const METRICS_TOKEN = "handler-test-metrics-token-0123456789";
export const NOW = "2026-07-01T10:00:00.000Z";

/** the secrets port as the token middleware reads it */
export const tokens = { tokens: async () => ({ api: API_TOKEN, webhook: WEBHOOK_TOKEN, metrics: METRICS_TOKEN }) };

export function botSummary(name: string, overrides: Partial<BotSummary> = {}): BotSummary {
  return { id: `id-${name}`, name, active: true, objects: 1, synced: 1, pending: 0, retrying: 0, failed: 0, lastEventAt: NOW, configSyncedAt: NOW, ...overrides };
}

export function objectState(bot: string, key: string, overrides: Partial<ObjectState> = {}): ObjectState {
  return {
    key,
    filePath: `${bot}.gbai/${key}`,
    fileType: key.endsWith(".bas") ? "bas" : key.includes(".gbkb/") ? "kb" : "config",
    present: true,
    status: "synced",
    leased: false,
    etag: `etag-${key}`,
    processedEtag: `etag-${key}`,
    processedAt: NOW,
    size: 10,
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    diagnostics: [],
    ...overrides,
  };
}

export function reconcileReport(queued: number, status: ReconcileReport["status"] = "done"): ReconcileReport {
  return {
    status,
    startedAt: NOW,
    durationMs: 3,
    queued,
    buckets: status === "done" ? [{ bucket: "demo.gbai", bot: "demo", objects: 2, queued, removed: 0, skipped: [] }] : [],
    ignoredBuckets: [],
  };
}

/** A status reader that knows `bots` (findBot by name) and throws for everything else it is asked. */
export function statusOf(...bots: BotSummary[]) {
  return { findBot: async (name: string) => bots.find((b) => b.name === name) ?? null };
}

export interface ApiRequestInit extends RequestInit {
  /** the bearer token sent (default the API token); null sends no Authorization */
  token?: string | null;
  /** a JSON body, sent with Content-Type: application/json */
  json?: unknown;
}

/** The whole app on `deps`, and a request function that authenticates with the API token by default. */
export function appOn(deps: FakeAppDeps) {
  const app = createApp();
  const request = (path: string, init: ApiRequestInit = {}) => {
    const { token = API_TOKEN, json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token !== null && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
    if (json !== undefined) headers.set("content-type", "application/json");
    return app.request(`http://botsync.test${path}`, { ...rest, headers, body: json === undefined ? rest.body : JSON.stringify(json) }, { deps });
  };
  return { app, request, deps };
}

/** `appOn(fakeAppDeps(...))` with the tokens in place. */
export function apiApp(overrides: Parameters<typeof fakeAppDeps>[0] = {}) {
  return appOn(fakeAppDeps({ secrets: tokens, ...overrides }));
}

/** The error body of a response, with its status. */
export async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, ...body.error };
}
