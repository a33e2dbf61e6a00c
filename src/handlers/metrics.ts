import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { BotsyncError } from "../core/errors.js";
import type { AppEnv } from "./app-deps.js";
import { router } from "./http/router.js";
import { checkAuthorization } from "./middleware/token-auth/index.js";

/** The API token opens /metrics, and so does METRICS_TOKEN, a scraper's own token that opens nothing else. */
const metricsAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const tokens = await c.env.deps.secrets.tokens();
  const header = c.req.header("authorization");
  try {
    checkAuthorization(header, tokens.api, "API or metrics");
  } catch (error) {
    if (!tokens.metrics) throw error;
    checkAuthorization(header, tokens.metrics, "API or metrics");
  }
  await next();
};

export const metricsRoute = createRoute({
  method: "get",
  path: "/metrics",
  summary: "Prometheus metrics (Node only; a Worker answers 404: its counters live and die with each isolate)",
  tags: ["service"],
  security: [{ apiToken: [] }, { metricsToken: [] }],
  middleware: [metricsAuth] as const,
  responses: {
    200: { description: "The Prometheus text exposition format", content: { "text/plain": { schema: z.string() } } },
    401: { description: "Missing or wrong token" },
    404: { description: "This runtime exports no metrics (Cloudflare Workers)" },
  },
});

export function metricsRoutes() {
  return router().openapi(metricsRoute, async (c) => {
    const exporter = c.env.deps.metricsExporter;
    if (!exporter) throw new BotsyncError("NOT_FOUND", "no metrics in this runtime: a Worker isolate's counters would restart with every isolate; scrape a Node deployment");
    return c.body(await exporter.render(), 200, { "content-type": exporter.contentType });
  });
}
