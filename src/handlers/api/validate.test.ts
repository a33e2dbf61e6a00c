/**
 * POST /api/validate through the whole app, validating with the core's own validateSource as the inline
 * validator does: the body's schema (400 naming the field), the media type (415), the size limits (400 for
 * a text over a dialog's limit, 413 for a body over the route's), and a busy validator's 503.
 */
import { describe, expect, it } from "vitest";
import { DIALOG_MAX_BYTES } from "../../core/dialogs/dialog-object-job.js";
import { BotsyncError } from "../../core/errors.js";
import type { SourceValidator } from "../../core/ports/source-validator.js";
import { validateSource } from "../../core/validate/validate-source.js";
import { apiApp, errorOf } from "../../../test/harness/api-fixtures.js";
import { VALIDATE_MAX_BODY_BYTES, validateRoute } from "./validate.js";

function validateApp(validate: SourceValidator["validate"] = async (input) => validateSource(input)) {
  const asked: Array<Parameters<SourceValidator["validate"]>[0]> = [];
  const app = apiApp({ validator: { validate: async (input: Parameters<SourceValidator["validate"]>[0]) => (asked.push(input), validate(input)) } });
  return { ...app, asked };
}

const schema = validateRoute.responses[200].content["application/json"].schema;

describe("POST /api/validate", () => {
  it("answers a script's diagnostics and would-be artifacts, named `script` unless a name is given", async () => {
    const { request, asked } = validateApp();
    const ok = await (await request("/api/validate", { method: "POST", json: { kind: "bas", name: "order", text: 'TALK "hello"\n' } })).json<any>();
    schema.parse(ok);
    expect(ok).toMatchObject({ kind: "bas", ok: true, diagnostics: [], artifacts: { ast: expect.any(String) }, schedules: [] });
    const broken = await (await request("/api/validate", { method: "POST", json: { kind: "bas", text: "IF x THEN\n" } })).json<any>();
    expect(broken).toMatchObject({ kind: "bas", ok: false, artifacts: null });
    expect(broken.diagnostics.length).toBeGreaterThan(0);
    await request("/api/validate", { method: "POST", json: { kind: "config", name: "", text: "a,1\n" } });
    expect(asked.map((a) => [a.kind, a.name])).toEqual([
      ["bas", "order"],
      ["bas", "script"],
      ["config", "config"],
    ]);
  });

  it("answers a config.csv's entries with secrets masked", async () => {
    const { request } = validateApp();
    const body = await (await request("/api/validate", { method: "POST", json: { kind: "config", text: "llm-key,sk-1\nnocomma\nBot Name,X\n" } })).json<any>();
    schema.parse(body);
    expect(body).toEqual({
      kind: "config",
      ok: true,
      diagnostics: [{ severity: "warning", code: "missing-comma", message: 'line 2: no comma; expected "key,value" (got "nocomma")', line: 2, column: 1 }],
      entries: [
        { key: "llm-key", value: "********", type: "string", line: 1, encrypted: true },
        { key: "Bot Name", value: "X", type: "string", line: 3, encrypted: false },
      ],
    });
  });

  it("400 naming the field for a body that does not fit the schema, without validating anything", async () => {
    const { request, asked } = validateApp();
    for (const [json, field] of [
      [{}, "kind"],
      [{ kind: "js", text: "x" }, "kind"],
      [{ kind: "bas" }, "text"],
      [{ kind: "bas", text: 42 }, "text"],
      [{ kind: "bas", text: "x", name: "a\u0000b" }, "name"],
      [{ kind: "bas", text: "x".repeat(DIALOG_MAX_BYTES + 1) }, "text"],
    ] as const) {
      const error = await errorOf(await request("/api/validate", { method: "POST", json }));
      expect(error, JSON.stringify(json).slice(0, 60)).toMatchObject({ status: 400, code: "BAD_REQUEST", message: expect.stringMatching(new RegExp(`^${field}: `)) });
    }
    const notJson = await request("/api/validate", { method: "POST", headers: { "content-type": "application/json" }, body: "nope" });
    expect(await errorOf(notJson)).toMatchObject({ status: 400 });
    expect(asked).toEqual([]);
  });

  it("415 for a body that is not sent as JSON", async () => {
    const { request, asked } = validateApp();
    const res = await request("/api/validate", { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ kind: "bas", text: "TALK 1" }) });
    expect(await errorOf(res)).toEqual({ status: 415, code: "UNSUPPORTED_MEDIA_TYPE", message: "Content-Type must be application/json" });
    const none = await request("/api/validate", { method: "POST", body: JSON.stringify({ kind: "bas", text: "TALK 1" }) });
    expect(none.status).toBe(415);
    expect(asked).toEqual([]);
  });

  it("413 for a body over the route's limit, before it is parsed", async () => {
    const { request, asked } = validateApp();
    const res = await request("/api/validate", { method: "POST", headers: { "content-type": "application/json" }, body: "x".repeat(VALIDATE_MAX_BODY_BYTES + 1) });
    expect(await errorOf(res)).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
    expect(asked).toEqual([]);
  });

  it("503 when the validator is busy, and 401 without the API token", async () => {
    const { request } = validateApp(async () => {
      throw new BotsyncError("SERVICE_BUSY", "every validation thread is busy; try again shortly");
    });
    expect(await errorOf(await request("/api/validate", { method: "POST", json: { kind: "bas", text: "TALK 1" } }))).toEqual({
      status: 503,
      code: "SERVICE_BUSY",
      message: "every validation thread is busy; try again shortly",
    });
    expect((await request("/api/validate", { method: "POST", json: { kind: "bas", text: "TALK 1" }, token: null })).status).toBe(401);
  });
});
