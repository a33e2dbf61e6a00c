/**
 * Console sessions, stateless so they work the same on Node and in a Worker (no session store to share):
 *
 * - The cookie holds `{expiresAt}.{nonce}` signed with HMAC-SHA256 (Hono's signed cookies) under a key derived
 *   from the current API token. It proves a sign-in happened and when it ends; it carries no token, and
 *   rotating API_TOKEN changes the key, which signs everyone out. Sign-out deletes the cookie in the browser;
 *   a copied cookie stays valid until it expires (SESSION_TTL_MS) or the token rotates.
 * - `HttpOnly`, `SameSite=Strict`, `Path=/`; over https (the request's scheme, or `X-Forwarded-Proto: https`
 *   from a proxy that terminates TLS) also `Secure` with the `__Host-` name prefix.
 * - CSRF: SameSite=Strict already keeps other sites' forms from carrying the cookie; every POST form also
 *   carries the session's CSRF token (HMAC of its nonce under the same key), checked in constant time, so a
 *   browser that ignores SameSite is covered too. Hono's Origin-checking csrf middleware was not used: behind
 *   a TLS-terminating proxy the request URL's origin is not the browser's, and it would refuse every form.
 */
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { BotsyncError } from "../../../core/errors.js";
import type { AppEnv } from "../../app-deps.js";
import { constantTimeEqual } from "../token-auth/index.js";

export const SESSION_COOKIE = "botsync_session";
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** the form field every console POST carries */
export const CSRF_FIELD = "_csrf";

export interface Session {
  /** ms since the epoch */
  expiresAt: number;
  /** the value forms must send back in CSRF_FIELD */
  csrf: string;
}

export type SessionEnv = AppEnv & { Variables: { session: Session } };

const encoder = new TextEncoder();

async function hmac(key: BufferSource, data: string): Promise<Uint8Array<ArrayBuffer>> {
  const imported = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", imported, encoder.encode(data)));
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The signing key of the current API token: a new token is a new key, and every old cookie fails. */
async function sessionKey<E extends AppEnv>(c: Context<E>): Promise<Uint8Array<ArrayBuffer>> {
  const { api } = await c.env.deps.secrets.tokens();
  return hmac(encoder.encode(api), "botsync console session v1");
}

/** https as the browser sees it: directly, or through a proxy that says so. */
export function isHttps(c: Context): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  return c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}

function cookieOptions(c: Context) {
  const secure = isHttps(c);
  return { secure, prefix: secure ? ("host" as const) : undefined };
}

/** Signs the browser in: sets a fresh session cookie and returns the session. */
export async function startSession<E extends AppEnv>(c: Context<E>, now = Date.now()): Promise<Session> {
  const key = await sessionKey(c);
  const nonce = base64url(crypto.getRandomValues(new Uint8Array(18)));
  const expiresAt = now + SESSION_TTL_MS;
  const { secure, prefix } = cookieOptions(c);
  await setSignedCookie(c, SESSION_COOKIE, `${expiresAt}.${nonce}`, key, {
    httpOnly: true,
    sameSite: "Strict",
    secure,
    prefix,
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
  });
  return { expiresAt, csrf: await csrfToken(key, nonce) };
}

export function endSession(c: Context): void {
  const { secure, prefix } = cookieOptions(c);
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure, prefix, httpOnly: true, sameSite: "Strict" });
}

/** The request's session, or null when it has none, a forged or stale one, or one signed under an old token. */
export async function readSession<E extends AppEnv>(c: Context<E>, now = Date.now()): Promise<Session | null> {
  const key = await sessionKey(c);
  const value = await getSignedCookie(c, key, SESSION_COOKIE, cookieOptions(c).prefix);
  if (!value) return null;
  const dot = value.indexOf(".");
  const expiresAt = Number(value.slice(0, dot));
  const nonce = value.slice(dot + 1);
  if (dot < 1 || !Number.isSafeInteger(expiresAt) || expiresAt <= now || nonce === "") return null;
  return { expiresAt, csrf: await csrfToken(key, nonce) };
}

function csrfToken(key: BufferSource, nonce: string): Promise<string> {
  return hmac(key, `csrf.${nonce}`).then(base64url);
}

/**
 * Requires a session. Without one a page answers 303 to the sign-in page (coming back here after it); a
 * stream or fragment fetched by script answers 401 instead, which a script can tell from a page.
 */
export function requireSession(onMissing: "sign-in" | "unauthorized"): MiddlewareHandler<SessionEnv> {
  return async (c, next) => {
    const session = await readSession(c);
    if (!session) {
      if (onMissing === "unauthorized") throw new BotsyncError("UNAUTHORIZED", "not signed in (or the session expired): sign in again");
      const url = new URL(c.req.url);
      const back = c.req.method === "GET" ? `${url.pathname}${url.search}` : "/";
      return c.redirect(`/sign-in?next=${encodeURIComponent(back)}`, 303);
    }
    c.set("session", session);
    await next();
  };
}

/** After requireSession: a form POST must carry the session's CSRF token, else FORBIDDEN (403). */
export function requireCsrfToken(): MiddlewareHandler<SessionEnv> {
  return async (c, next) => {
    const body = await c.req.parseBody();
    const sent = body[CSRF_FIELD];
    if (typeof sent !== "string" || !constantTimeEqual(sent, c.get("session").csrf)) {
      throw new BotsyncError("FORBIDDEN", "the form is missing its CSRF token or it belongs to another session; reload the page and try again");
    }
    await next();
  };
}

/** Where to go after signing in: a path on this site only (never `//host` or `https://…`), else the Bots page. */
export function localPath(next: unknown): string {
  // Browsers drop tabs and newlines from URLs and read `\` as `/`: `/\t/evil` would become `//evil`.
  return typeof next === "string" && /^\/(?![/\\])[^\x00-\x20\\]*$/.test(next) ? next : "/";
}
