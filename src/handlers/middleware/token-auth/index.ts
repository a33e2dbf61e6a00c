import type { MiddlewareHandler } from "hono";
import { BotsyncError } from "../../../core/errors.js";
import type { AppEnv } from "../../app-deps.js";

/** Which token guards a route: the API's, or the webhook's (MinIO's `auth_token`). */
export type TokenKind = "api" | "webhook";

const LABEL: Record<TokenKind, string> = { api: "API", webhook: "webhook" };

/**
 * Requires `Authorization: <scheme> <token>` with the current token of `kind`. The token is read per
 * request (the secrets port caches it), so a token rotated in Vault is enforced without a restart.
 */
export function tokenAuth(kind: TokenKind): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const tokens = await c.env.deps.secrets.tokens();
    checkAuthorization(c.req.header("authorization"), tokens[kind], LABEL[kind]);
    await next();
  };
}

/**
 * The webhook's token: in `Authorization`, as MinIO and AWS-style notifiers send it, or — when no header is
 * sent at all, as from radosgw, whose push carries no credentials — in every record's `opaqueData`. That
 * check needs the body, so this middleware leaves the expected token for the handler (`requireOpaqueData`).
 */
export function webhookAuth(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { webhook } = await c.env.deps.secrets.tokens();
    const header = c.req.header("authorization");
    if (header !== undefined) checkAuthorization(header, webhook, LABEL.webhook);
    else c.set("opaqueDataToken", webhook);
    await next();
  };
}

/** A notification sent without `Authorization` must carry the webhook token as its records' opaqueData. */
export function requireOpaqueData(presented: string | undefined, expected: string): void {
  if (presented === undefined || !constantTimeEqual(presented, expected)) {
    throw new BotsyncError(
      "UNAUTHORIZED",
      presented === undefined
        ? "missing Authorization: Bearer <webhook token> (a radosgw topic must carry the token as its OpaqueData)"
        : "webhook token (opaqueData) is not valid",
    );
  }
}

/**
 * Checks `Authorization: <scheme> <token>` in constant time. MinIO sends a one-word auth_token as
 * `Bearer <token>` and a two-word auth_token as it is, so any single scheme word is accepted in front of the
 * token; three or more words never match.
 */
export function checkAuthorization(header: string | undefined, expected: string, what: string): void {
  const words = (header ?? "").trim().split(/\s+/);
  const presented = words.length === 2 ? words[1]! : "";
  if (!constantTimeEqual(presented, expected) || presented === "") {
    throw new BotsyncError("UNAUTHORIZED", header ? `${what} token is not valid` : `missing Authorization: Bearer <${what} token>`);
  }
}

/**
 * Compares every character of the expected token whatever the presented one holds, so the time taken
 * depends only on the expected token's length (not a secret), never on how much of it was guessed right.
 * (Hono's timingSafeEqual hashes both strings with WebCrypto first — 15% of the webhook's CPU.)
 */
export function constantTimeEqual(presented: string, expected: string): boolean {
  let diff = presented.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) diff |= (presented.charCodeAt(i) | 0) ^ expected.charCodeAt(i);
  return diff === 0;
}
