import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../app-deps.js";
import { errorResponse } from "../../http/error-response.js";
import { fakeAppDeps } from "../../../../test/harness/app-fakes.js";
import { checkAuthorization, constantTimeEqual, tokenAuth } from "./index.js";

describe("constantTimeEqual", () => {
  it("is true only for the same string", () => {
    expect(constantTimeEqual("secret-token", "secret-token")).toBe(true);
    expect(constantTimeEqual("secret-tokeN", "secret-token")).toBe(false);
    expect(constantTimeEqual("secret-token-longer", "secret-token")).toBe(false);
    expect(constantTimeEqual("secret", "secret-token")).toBe(false);
    expect(constantTimeEqual("", "secret-token")).toBe(false);
    expect(constantTimeEqual("\u0000".repeat(12), "secret-token")).toBe(false);
  });
});

describe("checkAuthorization", () => {
  it("accepts `<scheme> <token>` and nothing else", () => {
    expect(() => checkAuthorization("Bearer abc", "abc", "API")).not.toThrow();
    expect(() => checkAuthorization("Splunk abc", "abc", "webhook")).not.toThrow();
    expect(() => checkAuthorization("abc", "abc", "API")).toThrow(expect.objectContaining({ code: "UNAUTHORIZED", message: "API token is not valid" }));
    expect(() => checkAuthorization("Bearer abc x", "abc", "API")).toThrow(expect.objectContaining({ code: "UNAUTHORIZED" }));
    expect(() => checkAuthorization(undefined, "abc", "API")).toThrow(expect.objectContaining({ message: "missing Authorization: Bearer <API token>" }));
    expect(() => checkAuthorization("Bearer ", "", "API")).toThrow(expect.objectContaining({ code: "UNAUTHORIZED" }));
  });
});

describe("tokenAuth middleware", () => {
  function app(tokens = { api: "api-token-0123456789", webhook: "webhook-token-0123456789" }) {
    const deps = fakeAppDeps({ secrets: { tokens: async () => tokens } });
    const hono = new Hono<AppEnv>();
    hono.use("/api/*", tokenAuth("api"));
    hono.use("/hook", tokenAuth("webhook"));
    hono.get("/api/x", (c) => c.text("api ok"));
    hono.post("/hook", (c) => c.text("hook ok"));
    hono.onError((error, c) => errorResponse(c, error, deps.log));
    return { request: (path: string, init?: RequestInit) => hono.request(path, init, { deps }), deps };
  }

  it("lets the right token through and answers 401 with a reason otherwise", async () => {
    const { request } = app();
    expect(await (await request("/api/x", { headers: { authorization: "Bearer api-token-0123456789" } })).text()).toBe("api ok");
    const missing = await request("/api/x");
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: { code: "UNAUTHORIZED", message: "missing Authorization: Bearer <API token>" } });
    // each token opens only its own routes
    expect((await request("/api/x", { headers: { authorization: "Bearer webhook-token-0123456789" } })).status).toBe(401);
    expect((await request("/hook", { method: "POST", headers: { authorization: "Bearer api-token-0123456789" } })).status).toBe(401);
    expect(await (await request("/hook", { method: "POST", headers: { authorization: "Bearer webhook-token-0123456789" } })).text()).toBe("hook ok");
  });

  it("reads the token per request, so a rotated token applies at once", async () => {
    const tokens = { api: "first-api-token-0123456789", webhook: "w".repeat(20) };
    const { request } = app(tokens);
    expect((await request("/api/x", { headers: { authorization: `Bearer ${tokens.api}` } })).status).toBe(200);
    tokens.api = "second-api-token-0123456789";
    expect((await request("/api/x", { headers: { authorization: "Bearer first-api-token-0123456789" } })).status).toBe(401);
    expect((await request("/api/x", { headers: { authorization: "Bearer second-api-token-0123456789" } })).status).toBe(200);
  });

  it("closes the connection after a 401 and logs the reason, never the token", async () => {
    const { request, deps } = app();
    const res = await request("/api/x", { headers: { authorization: "Bearer wrong-token-presented-here" } });
    expect(res.headers.get("connection")).toBe("close");
    const logged = JSON.stringify(deps.log.lines);
    expect(logged).toContain("unauthorized request");
    expect(logged).not.toContain("wrong-token-presented-here");
    expect(logged).not.toContain("api-token-0123456789");
  });
});
