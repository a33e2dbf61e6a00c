/**
 * What every console route shares: its environment, its security headers, and how a page or an error is
 * rendered as HTML.
 */
import type { Context, ErrorHandler, MiddlewareHandler } from "hono";
import { NONCE, secureHeaders } from "hono/secure-headers";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { errorResponse, type ErrorBody } from "../http/error-response.js";
import { readSession, type SessionEnv } from "../middleware/session/index.js";
import { Layout } from "./layout.js";

/** the app's environment plus the session every console route reads */
export type ConsoleEnv = SessionEnv;
export type ConsoleContext = Context<ConsoleEnv>;

/**
 * A strict CSP: nothing loads from anywhere else, and only the inline style and script that carry this
 * response's nonce run. Pages are never cached (they show live state, and must not outlive a sign-out).
 */
const secure = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: [NONCE],
    scriptSrc: [NONCE],
    imgSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  referrerPolicy: "same-origin",
  xFrameOptions: "DENY",
  // HSTS is the TLS terminator's call: includeSubDomains from an internal tool could break other hosts.
  strictTransportSecurity: false,
});

export const pageHeaders: MiddlewareHandler = async (c, next) => {
  c.header("Cache-Control", "no-store");
  await secure(c, next);
};

export async function renderPage(c: Context, page: unknown, status: ContentfulStatusCode = 200): Promise<Response> {
  return c.html(`<!doctype html>${String(await page)}`, status);
}

/** The page's nonce for its inline style and script. */
export function nonceOf(c: Context): string | undefined {
  return c.get("secureHeadersNonce");
}

/**
 * Errors on console routes: the app's one error mapping (status, logging, `Connection: close`) decides, and
 * the answer is a page saying what went wrong instead of JSON.
 */
export const renderError: ErrorHandler<ConsoleEnv> = async (error, c) => {
  const json = errorResponse(c, error, c.env.deps.log);
  const { error: body } = (await json.json()) as ErrorBody;
  const session = await readSession(c).catch(() => null);
  const res = await renderPage(
    c,
    <Layout title="Error" section={null} nonce={nonceOf(c)} csrf={session?.csrf ?? null}>
      <h1>{json.status === 404 ? "Not found" : "Something went wrong"}</h1>
      <p class="notice error" role="alert">
        <strong>{body.code}</strong>: {body.message}
      </p>
      <p>
        <a href="/">Back to the bots</a>
      </p>
    </Layout>,
    json.status as ContentfulStatusCode,
  );
  json.headers.forEach((value, name) => {
    if (name !== "content-type" && name !== "content-length") res.headers.set(name, value);
  });
  return res;
};
