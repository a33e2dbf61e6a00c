/**
 * The app as a whole, through `createApp().request()` with port fakes: the OpenAPI document lists every
 * route the app serves (and only the console's HTML pages are left out), and every route the document says
 * needs a token answers 401 without one — generated from the document, so a new route is covered at once.
 */
import { describe, expect, it } from "vitest";
import { apiApp, errorOf } from "../../test/harness/api-fixtures.js";
import { consoleRoutes } from "./console/index.js";
import { createApp, OPENAPI_PATH } from "./app.js";

interface Operation {
  security?: Array<Record<string, string[]>>;
  responses: Record<string, unknown>;
}
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

async function openApiDocument(): Promise<Document> {
  const { request } = apiApp();
  const res = await request(OPENAPI_PATH, { token: null });
  expect(res.status).toBe(200);
  return (await res.json<any>()) as Document;
}

const routesOf = (app: { routes: Array<{ method: string; path: string }> }) =>
  app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`);

describe("the OpenAPI document", () => {
  it("lists every route the app serves except the console's pages and itself, and needs no token", async () => {
    const doc = await openApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    const consolePages = new Set(routesOf(consoleRoutes()));
    expect(consolePages).toContain("get /");
    const served = routesOf(createApp()).filter((r) => !consolePages.has(r) && r !== `get ${OPENAPI_PATH}`);
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
    expect(new Set(documented)).toEqual(new Set(served));
    expect(documented).toHaveLength(new Set(documented).size);
  });

  it("documents a 401 for every route behind a token, and none for the public ones", async () => {
    const doc = await openApiDocument();
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const secured = (operation.security ?? []).length > 0;
        expect(Object.keys(operation.responses).includes("401"), `${method} ${path}`).toBe(secured);
      }
    }
    expect(doc.paths["/health"]!.get!.security ?? []).toEqual([]);
  });
});

describe("tokens", () => {
  it("every route the document puts behind a token answers 401 without one, before any port is asked", async () => {
    const doc = await openApiDocument();
    const { request } = apiApp();
    let checked = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if ((operation.security ?? []).length === 0) continue;
        const url = path.replace(/{(\w+)}/g, "demo");
        const res = await request(url, { method: method.toUpperCase(), token: null, ...(method === "get" ? {} : { json: {} }) });
        expect(await errorOf(res), `${method} ${path}`).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(12);
  });
});

describe("unknown routes", () => {
  it("answer 404 in the API's error shape", async () => {
    const { request } = apiApp();
    expect(await errorOf(await request("/api/nothing-here"))).toEqual({ status: 404, code: "NOT_FOUND", message: "no route for GET /api/nothing-here" });
  });
});
