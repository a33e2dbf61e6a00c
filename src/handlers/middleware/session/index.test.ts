import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { fakeAppDeps } from "../../../../test/harness/app-fakes.js";
import { errorResponse } from "../../http/error-response.js";
import {
  CSRF_FIELD,
  SESSION_TTL_MS,
  endSession,
  localPath,
  readSession,
  requireCsrfToken,
  requireSession,
  startSession,
  type SessionEnv,
} from "./index.js";

const API_TOKEN = "session-test-api-token-0123456789";

/** A tiny app around the middleware: /login starts a session, /page and /data need one, /form needs its CSRF token too. */
function app(tokens = { api: API_TOKEN, webhook: "webhook-token-0123456789" }) {
  const deps = fakeAppDeps({ secrets: { tokens: async () => tokens } });
  const hono = new Hono<SessionEnv>();
  hono.post("/login", async (c) => c.json(await startSession(c)));
  hono.post("/logout", (c) => {
    endSession(c);
    return c.text("bye");
  });
  hono.get("/page", requireSession("sign-in"), (c) => c.text(`page ok until ${c.get("session").expiresAt}`));
  hono.get("/data", requireSession("unauthorized"), (c) => c.text("data ok"));
  hono.post("/form", requireSession("sign-in"), requireCsrfToken(), (c) => c.text("form ok"));
  hono.get("/peek", async (c) => c.json(await readSession(c, Number(c.req.query("now") ?? Date.now()))));
  hono.onError((error, c) => errorResponse(c, error, deps.log));
  const request = (path: string, init?: RequestInit) => hono.request(path, init, { deps });
  return { request, deps, tokens };
}

async function signedIn(request: ReturnType<typeof app>["request"], url = "http://console.test/login", headers: Record<string, string> = {}) {
  const res = await request(url, { method: "POST", headers });
  const setCookie = res.headers.get("set-cookie")!;
  const session = (await res.json()) as { expiresAt: number; csrf: string };
  return { setCookie, cookie: setCookie.split(";")[0]!, session };
}

describe("session cookie", () => {
  it("is HttpOnly, SameSite=Strict, Path=/, expires with the session, and carries no token", async () => {
    const { request } = app();
    const before = Date.now();
    const { setCookie, session } = await signedIn(request);
    expect(setCookie).toMatch(/^botsync_session=/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).toContain("Path=/");
    expect(setCookie).toContain(`Max-Age=${SESSION_TTL_MS / 1000}`);
    expect(setCookie).not.toContain("Secure");
    expect(setCookie).not.toContain(API_TOKEN);
    expect(session.expiresAt).toBeGreaterThanOrEqual(before + SESSION_TTL_MS);
    expect(session.csrf).toMatch(/^[\w-]{40,}$/);
  });

  it("is Secure with the __Host- prefix over https, directly or behind a TLS-terminating proxy", async () => {
    const { request } = app();
    const direct = await signedIn(request, "https://console.test/login");
    expect(direct.setCookie).toMatch(/^__Host-botsync_session=/);
    expect(direct.setCookie).toContain("Secure");
    const proxied = await signedIn(request, "http://console.test/login", { "x-forwarded-proto": "https" });
    expect(proxied.setCookie).toMatch(/^__Host-botsync_session=.*Secure/);
    // the https cookie is read back over https
    const res = await request("https://console.test/data", { headers: { cookie: direct.cookie } });
    expect(await res.text()).toBe("data ok");
  });

  it("is read back with the same CSRF token, and refused once tampered with, expired, or signed under an old token", async () => {
    const { request, tokens } = app();
    const { cookie, session } = await signedIn(request);
    const peek = async (c: string, now?: number) => (await request(`/peek${now ? `?now=${now}` : ""}`, { headers: { cookie: c } })).json();
    expect(await peek(cookie)).toEqual(session);

    // a later expiry with the old signature
    const [name, value] = cookie.split("=") as [string, string];
    const decoded = decodeURIComponent(value);
    const longer = `${name}=${encodeURIComponent(decoded.replace(/^\d+/, String(session.expiresAt + 86_400_000)))}`;
    expect(await peek(longer)).toBeNull();
    expect(await peek(`${name}=${encodeURIComponent(decoded.slice(0, -3))}abc`)).toBeNull();

    expect(await peek(cookie, session.expiresAt + 1)).toBeNull();

    tokens.api = "rotated-api-token-0123456789abcdef";
    expect(await peek(cookie)).toBeNull();
  });

  it("sign-out deletes the cookie", async () => {
    const { request } = app();
    const res = await request("/logout", { method: "POST" });
    expect(res.headers.get("set-cookie")).toMatch(/^botsync_session=; Max-Age=0; Path=\//);
  });
});

describe("requireSession", () => {
  it("sends a page request without a session to the sign-in page and back", async () => {
    const { request } = app();
    const res = await request("/page?x=1");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/sign-in?next=%2Fpage%3Fx%3D1");
    // a POST cannot be replayed after signing in: back to the start page
    const post = await request("/form", { method: "POST" });
    expect(post.headers.get("location")).toBe("/sign-in?next=%2F");
  });

  it("answers 401 to a script's request, and lets a signed-in one through", async () => {
    const { request } = app();
    const res = await request("/data");
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("UNAUTHORIZED");
    const { cookie } = await signedIn(request);
    expect(await (await request("/page", { headers: { cookie } })).text()).toMatch(/^page ok until \d+$/);
  });
});

describe("requireCsrfToken", () => {
  function post(request: ReturnType<typeof app>["request"], cookie: string, fields: Record<string, string>) {
    return request("/form", { method: "POST", headers: { cookie }, body: new URLSearchParams(fields) });
  }

  it("refuses a form without the session's CSRF token with 403", async () => {
    const { request } = app();
    const mine = await signedIn(request);
    const other = await signedIn(request);
    const missing = await post(request, mine.cookie, { x: "1" });
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
    // another session's token is not this session's
    expect((await post(request, mine.cookie, { [CSRF_FIELD]: other.session.csrf })).status).toBe(403);
    expect(await (await post(request, mine.cookie, { [CSRF_FIELD]: mine.session.csrf })).text()).toBe("form ok");
  });

  it("reads the token from a multipart form too", async () => {
    const { request } = app();
    const { cookie, session } = await signedIn(request);
    const body = new FormData();
    body.set(CSRF_FIELD, session.csrf);
    body.set("file", new File(["TALK 1"], "a.bas"));
    expect(await (await request("/form", { method: "POST", headers: { cookie }, body })).text()).toBe("form ok");
  });
});

describe("localPath", () => {
  it("keeps paths on this site and sends everything else to the start page", () => {
    expect(localPath("/bots/demo?q=x#kb")).toBe("/bots/demo?q=x#kb");
    for (const hostile of ["//evil.example", "/\\evil.example", "https://evil.example/", "/\t/evil.example", "javascript:alert(1)", "", undefined, 42]) {
      expect(localPath(hostile), String(hostile)).toBe("/");
    }
  });
});
