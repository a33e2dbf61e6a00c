/**
 * GET /health through the whole app with port fakes: 200 when database, drive and secrets answer, 503
 * naming the one that does not — including one that never answers, whose 3 s limit runs on a ManualClock.
 */
import { describe, expect, it } from "vitest";
import { BotsyncError } from "../core/errors.js";
import type { DependencyCheck } from "../core/ports/dependency-check.js";
import { apiApp } from "../../test/harness/api-fixtures.js";
import { eventually } from "../../test/harness/eventually.js";
import { CHECK_TIMEOUT_MS } from "./health.js";

function healthApp(checks: { database?: () => Promise<void>; drive?: () => Promise<void>; secrets?: () => Promise<DependencyCheck> } = {}) {
  return apiApp({
    status: { check: checks.database ?? (async () => {}) },
    drive: { check: checks.drive ?? (async () => {}) },
    secrets: { source: "vault", check: checks.secrets ?? (async () => ({ ok: true, source: "vault" })) },
  });
}

describe("GET /health", () => {
  it("is 200 with each dependency's check when all answer, and needs no token", async () => {
    const { request } = healthApp();
    const res = await request("/health", { token: null });
    expect(res.status).toBe(200);
    expect(await res.json<any>()).toEqual({ status: "ok", checks: { database: { ok: true }, drive: { ok: true }, secrets: { ok: true, source: "vault" } } });
  });

  it("is 503 with the same body naming what is down", async () => {
    const { request } = healthApp({
      database: async () => {
        throw new BotsyncError("DATABASE_UNAVAILABLE", "connect ECONNREFUSED 127.0.0.1:5432");
      },
      secrets: async () => ({ ok: false, source: "vault", detail: "Vault at http://v:8200 is sealed" }),
    });
    const res = await request("/health");
    expect(res.status).toBe(503);
    expect(await res.json<any>()).toEqual({
      status: "degraded",
      checks: {
        database: { ok: false, detail: "DATABASE_UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:5432" },
        drive: { ok: true },
        secrets: { ok: false, source: "vault", detail: "Vault at http://v:8200 is sealed" },
      },
    });
  });

  it("gives a check that does not answer 3 s, then reports it down", async () => {
    const { request, deps } = healthApp({ drive: () => new Promise(() => {}), secrets: () => new Promise(() => {}) });
    const answer = request("/health");
    // the database's wait ended with its answer; the two silent checks wait for their limit
    await eventually(() => expect(deps.clock.waiting).toBe(2));
    deps.clock.advance(CHECK_TIMEOUT_MS - 1);
    expect(deps.clock.waiting).toBe(2);
    deps.clock.advance(1);
    const res = await answer;
    expect(res.status).toBe(503);
    expect((await res.json<any>()).checks).toEqual({
      database: { ok: true },
      drive: { ok: false, detail: "no answer within 3000 ms" },
      secrets: { ok: false, source: "vault", detail: "no answer within 3000 ms" },
    });
    expect(deps.clock.waiting).toBe(0);
  });
});
