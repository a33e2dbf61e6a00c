/**
 * GET /metrics through the whole app with port fakes: the API token or METRICS_TOKEN opens it, the metrics
 * token opens nothing else, and a runtime without an exporter (a Worker) answers 404.
 */
import { describe, expect, it } from "vitest";
import { apiApp, API_TOKEN, errorOf, METRICS_TOKEN, WEBHOOK_TOKEN } from "../../test/harness/api-fixtures.js";

const EXPOSITION = "# TYPE botsync_notifications_total counter\nbotsync_notifications_total{outcome=\"queued\"} 2\n";

const EXPORTER = { contentType: "text/plain; version=0.0.4; charset=utf-8", render: async () => EXPOSITION };

/** `exporter` null: a runtime without one */
function metricsApp(exporter: typeof EXPORTER | null = EXPORTER) {
  return apiApp({ metricsExporter: exporter ?? undefined, status: { listBots: async () => [] } });
}

describe("GET /metrics", () => {
  it("answers the exporter's text with its content type to the API token and to the metrics token", async () => {
    const { request } = metricsApp();
    for (const token of [API_TOKEN, METRICS_TOKEN]) {
      const res = await request("/metrics", { token });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
      expect(await res.text()).toBe(EXPOSITION);
    }
  });

  it("401 without a token, with a wrong one or the webhook's; the metrics token opens no other route", async () => {
    const { request } = metricsApp();
    for (const token of [null, "not-a-token-at-all-0123", WEBHOOK_TOKEN]) {
      expect(await errorOf(await request("/metrics", { token })), String(token)).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    }
    expect((await request("/api/bots", { token: METRICS_TOKEN })).status).toBe(401);
    expect((await request("/api/bots", { token: API_TOKEN })).status).toBe(200);
  });

  it("without METRICS_TOKEN only the API token opens it", async () => {
    const { request } = apiApp({
      secrets: { tokens: async () => ({ api: API_TOKEN, webhook: WEBHOOK_TOKEN }) },
      metricsExporter: { contentType: "text/plain", render: async () => "" },
    });
    expect((await request("/metrics", { token: METRICS_TOKEN })).status).toBe(401);
    expect((await request("/metrics", { token: API_TOKEN })).status).toBe(200);
  });

  it("404 where the runtime exports no metrics (a Worker)", async () => {
    const { request } = metricsApp(null);
    expect(await errorOf(await request("/metrics"))).toMatchObject({ status: 404, code: "NOT_FOUND", message: expect.stringMatching(/^no metrics in this runtime/) });
  });
});
