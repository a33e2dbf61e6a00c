import { z } from "zod";
import * as s from "./schemas.js";

interface RouteDoc {
  method: "get" | "post";
  path: string;
  summary: string;
  auth: "api" | "webhook" | "none";
  response: z.ZodType;
  params?: string[];
  query?: Record<string, string>;
  errors?: number[];
}

/** Every route of the app, documented. A test fails if the app gains a route that is not listed here. */
export const ROUTES: RouteDoc[] = [
  { method: "get", path: "/health", summary: "Database, drive and secrets checks (503 when one is down)", auth: "none", response: s.health, errors: [503] },
  { method: "post", path: "/webhooks/minio", summary: "MinIO bucket notification (MinIO or AWS S3 event shape)", auth: "webhook", response: s.webhookAccepted, errors: [400, 401, 413, 503] },
  { method: "get", path: "/api/bots", summary: "Every bot with its sync counts", auth: "api", response: z.object({ bots: z.array(s.botSummary) }) },
  { method: "get", path: "/api/bots/{bot}", summary: "A bot's objects, config sync state and bucket/database drift", auth: "api", response: s.botDetail, params: ["bot"], errors: [400, 404] },
  { method: "get", path: "/api/bots/{bot}/config", summary: "A bot's bot_configuration rows", auth: "api", response: s.configList, params: ["bot"], errors: [400, 404] },
  { method: "get", path: "/api/bots/{bot}/dialogs", summary: "A bot's dialogs: compile state, diagnostics, tool, schedules", auth: "api", response: s.dialogList, params: ["bot"], errors: [400, 404] },
  { method: "get", path: "/api/bots/{bot}/kb", summary: "A bot's knowledge bases and documents: state, chunk counts, errors", auth: "api", response: s.kbList, params: ["bot"], errors: [400, 404] },
  {
    method: "post",
    path: "/api/bots/{bot}/kb/reindex",
    summary: "Index every document of the bot (or of ?kb=) again",
    auth: "api",
    response: z.object({ bot: z.string(), kb: z.string().nullable(), queued: z.number().int() }),
    params: ["bot"],
    query: { kb: "only this KB" },
    errors: [400, 404],
  },
  {
    method: "get",
    path: "/api/bots/{bot}/kb/search",
    summary: "Ranked chunks with document path and score",
    auth: "api",
    response: s.kbSearch,
    params: ["bot"],
    query: { q: "the query, 1–1000 characters", kb: "only this KB", limit: "1–100, default 10" },
    errors: [400, 404, 503],
  },
  {
    method: "post",
    path: "/api/validate",
    summary: 'Validate a .bas or config.csv before uploading it: body {"kind": "bas"|"config", "name"?, "text"}',
    auth: "api",
    response: s.validation,
    errors: [400, 413],
  },
  { method: "post", path: "/api/bots/{bot}/sync", summary: "Reconcile one bot now", auth: "api", response: s.reconcileReport, params: ["bot"], errors: [400, 404, 409, 503] },
  { method: "post", path: "/api/reconcile", summary: "Reconcile every bot now", auth: "api", response: s.reconcileReport, errors: [409, 503] },
  {
    method: "get",
    path: "/api/events",
    summary: "Recent notifications and what became of them",
    auth: "api",
    response: s.eventList,
    query: { limit: "1–1000, default 100", bot: "only this bot's events" },
    errors: [400, 404],
  },
  { method: "get", path: "/api/openapi.json", summary: "This document", auth: "none", response: z.object({}).passthrough() },
];

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request",
  401: "Missing or wrong token",
  404: "Not found",
  409: "A reconcile is already running",
  413: "Body too large",
  503: "A dependency is unavailable; retry later",
};

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const responses: Record<string, unknown> = {
      200: { description: "OK", content: { "application/json": { schema: z.toJSONSchema(route.response, { io: "output" }) } } },
    };
    for (const status of [...(route.errors ?? []), ...(route.auth === "none" ? [] : [401])]) {
      responses[status] = {
        description: STATUS_TEXT[status] ?? "Error",
        content: { "application/json": { schema: z.toJSONSchema(s.errorSchema) } },
      };
    }
    const parameters = [
      ...(route.params ?? []).map((name) => ({ name, in: "path", required: true, schema: { type: "string", pattern: "^[a-z0-9-]+$" } })),
      ...Object.entries(route.query ?? {}).map(([name, description]) => ({ name, in: "query", required: false, description, schema: { type: "string" } })),
    ];
    paths[route.path] ??= {};
    paths[route.path]![route.method] = {
      summary: route.summary,
      ...(route.auth === "none" ? { security: [] } : { security: [{ [route.auth === "api" ? "apiToken" : "webhookToken"]: [] }] }),
      ...(parameters.length > 0 ? { parameters } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "botsync", version: "0.1.0", description: "Event-driven storage functions for General Bots" },
    components: {
      securitySchemes: {
        apiToken: { type: "http", scheme: "bearer", description: "API_TOKEN" },
        webhookToken: { type: "http", scheme: "bearer", description: "WEBHOOK_TOKEN (MinIO auth_token)" },
      },
    },
    paths,
  };
}
