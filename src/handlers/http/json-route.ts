import { createRoute, type RouteConfig, type z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-deps.js";
import { errorSchema } from "../api/schemas.js";
import { limitBody } from "../middleware/body-limit/index.js";
import { limitConcurrency, type ConcurrencyLimit } from "../middleware/concurrency-limit/index.js";
import { tokenAuth, webhookAuth, type TokenKind } from "../middleware/token-auth/index.js";

/** Routes that take no body refuse one past this instead of buffering it. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request: the message names the field and what is wrong with it",
  401: "Missing or wrong token",
  404: "Not found",
  409: "A reconcile is already running",
  413: "Body too large",
  415: "Wrong Content-Type",
  503: "A dependency is unavailable; retry later",
};

const SECURITY: Record<TokenKind | "none", RouteConfig["security"]> = {
  api: [{ apiToken: [] }],
  webhook: [{ webhookToken: [] }],
  none: [],
};

/**
 * A route that answers JSON: its request schemas, its 200 schema and the error statuses it can answer,
 * declared once. The app validates requests against it and the OpenAPI document is generated from it.
 * `auth` both documents and enforces the route's token (a 401 is documented for it).
 */
export function jsonRoute<
  const Method extends RouteConfig["method"],
  const Path extends string,
  Response extends z.ZodType,
  Request extends RouteConfig["request"] = undefined,
>(route: {
  method: Method;
  path: Path;
  summary: string;
  auth: TokenKind | "none";
  request?: Request;
  response: Response;
  errors?: number[];
  tags?: string[];
  /** the largest request body accepted (default DEFAULT_MAX_BODY_BYTES) */
  maxBodyBytes?: number;
  /** how many requests may be in the handler at once, and wait for it (default: no limit) */
  concurrency?: ConcurrencyLimit;
}) {
  const errors = [...(route.errors ?? []), ...(route.auth === "none" ? [] : [401])];
  return createRoute({
    method: route.method,
    path: route.path,
    summary: route.summary,
    tags: route.tags,
    security: SECURITY[route.auth],
    request: route.request as Request,
    // Every route is bounded and, unless public, behind its token — declared here, so none can forget it.
    // The token first: an unauthenticated body is refused before a byte of it is read.
    middleware: [
      ...(route.auth === "none" ? [] : [route.auth === "webhook" ? webhookAuth() : tokenAuth(route.auth)]),
      ...(route.concurrency ? [limitConcurrency(route.concurrency)] : []),
      limitBody(route.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
    ] as MiddlewareHandler<AppEnv>[],
    responses: {
      200: { description: "OK", content: { "application/json": { schema: route.response } } },
      ...Object.fromEntries(
        errors.map((status) => [status, { description: STATUS_TEXT[status] ?? "Error", content: { "application/json": { schema: errorSchema } } }]),
      ),
    } as { 200: { description: string; content: { "application/json": { schema: Response } } } },
  });
}
