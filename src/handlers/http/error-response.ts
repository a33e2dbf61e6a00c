import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { BotsyncError, errorText, type ErrorCode } from "../../core/errors.js";
import type { Logger } from "../../core/ports/logger.js";

/** The one place where error codes become HTTP statuses. */
const STATUS: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BAD_REQUEST: 400,
  INVALID_NOTIFICATION: 400,
  INVALID_BOT_NAME: 400,
  INVALID_KEY: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  // 503 tells MinIO to keep the event in its queue and retry; it tells a load balancer the same.
  DATABASE_UNAVAILABLE: 503,
  DRIVE_UNAVAILABLE: 503,
  SECRETS_UNAVAILABLE: 503,
  SERVICE_BUSY: 503,
  VECTORS_UNAVAILABLE: 503,
  EMBEDDING_FAILED: 503,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export function statusOf(code: ErrorCode): ContentfulStatusCode {
  return STATUS[code] ?? 500;
}

export function errorResponse(c: Context, thrown: unknown, log: Logger): Response {
  const error = fromHttpException(thrown);
  if (error instanceof BotsyncError) {
    const status = statusOf(error.code);
    // A body rejected before it was read (wrong token, too large) is still on the wire: closing the
    // connection keeps its remaining bytes from being parsed as the next request on a kept-alive socket.
    if (status === 401 || status === 413) c.header("Connection", "close");
    // A wrong token is worth an operator's attention (a misconfigured MinIO target); the token itself is not logged.
    if (status === 401) log.warn("unauthorized request", { method: c.req.method, path: c.req.path, reason: error.message });
    if (status >= 500) log.error("request failed", { code: error.code, error: error.message, path: c.req.path });
    return c.json<ErrorBody>({ error: { code: error.code, message: error.message } }, status);
  }
  if (clientWentAway(c, error)) {
    // Not our failure, nothing to investigate: the client hung up while its request was being read.
    log.info("client closed the connection before its request was read", { method: c.req.method, path: c.req.path });
    return c.json<ErrorBody>({ error: { code: "BAD_REQUEST", message: "the client closed the connection" } }, 400);
  }
  // Unknown errors are bugs: log them fully, answer without internals.
  log.error("unexpected error", { error: errorText(error), stack: error instanceof Error ? error.stack : undefined, path: c.req.path });
  return c.json<ErrorBody>({ error: { code: "INTERNAL", message: "internal error; see the service log" } }, 500);
}

/** Hono's own middleware (the request validator's media-type gate) throws HTTPException; give it our codes. */
function fromHttpException(error: unknown): unknown {
  if (!(error instanceof HTTPException)) return error;
  if (error.status === 415) return new BotsyncError("UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
  const code = (Object.entries(STATUS).find(([, status]) => status === error.status)?.[0] ?? "INTERNAL") as ErrorCode;
  return new BotsyncError(code, error.message);
}

/** Node's http server fails a body read with `Error: aborted` (ECONNRESET) when the client disconnects. */
function clientWentAway(c: Context, error: unknown): boolean {
  if (c.req.raw.signal?.aborted) return true;
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === "ECONNRESET" && e.message === "aborted";
}
