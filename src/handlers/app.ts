import { BotsyncError } from "../core/errors.js";
import type { AppEnv } from "./app-deps.js";
import { apiRoutes } from "./api/index.js";
import { consoleRoutes } from "./console/index.js";
import { healthRoutes } from "./health.js";
import { metricsRoutes } from "./metrics.js";
import { errorResponse } from "./http/error-response.js";
import { router } from "./http/router.js";
import { webhookRoutes } from "./webhook.js";

export const OPENAPI_PATH = "/api/openapi.json";

/** The HTTP app, identical on Node and in the Worker; dependencies arrive in `c.env.deps`. */
export function createApp() {
  const app = router()
    .route("/", healthRoutes())
    .route("/", metricsRoutes())
    .route("/", webhookRoutes())
    .route("/", apiRoutes())
    .route("/", consoleRoutes());
  app.openAPIRegistry.registerComponent("securitySchemes", "apiToken", { type: "http", scheme: "bearer", description: "API_TOKEN" });
  app.openAPIRegistry.registerComponent("securitySchemes", "webhookToken", {
    type: "http",
    scheme: "bearer",
    description: "WEBHOOK_TOKEN (MinIO's auth_token)",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "metricsToken", { type: "http", scheme: "bearer", description: "METRICS_TOKEN (GET /metrics only)" });
  // Registered after the routes it documents, and outside /api/* middleware: the document needs no token.
  app.doc31(OPENAPI_PATH, {
    openapi: "3.1.0",
    info: { title: "botsync", version: "0.1.0", description: "Event-driven storage functions for General Bots" },
  });
  app.notFound((c) => errorResponse(c, new BotsyncError("NOT_FOUND", `no route for ${c.req.method} ${c.req.path}`), c.env.deps.log));
  app.onError((error, c) => errorResponse(c, error, c.env.deps.log));
  return app;
}

export type App = ReturnType<typeof createApp>;
