import { Hono } from "hono";
import { BotsyncError } from "../core/errors.js";
import type { AppEnv } from "./app-deps.js";
import { apiRoutes } from "./api/api-routes.js";
import { healthRoutes } from "./health.js";
import { errorResponse } from "./http/error-response.js";
import { webhookRoutes } from "./webhook.js";

/** The HTTP app, identical on Node and in the Worker; dependencies arrive in `c.env.deps`. */
export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route("/", healthRoutes());
  app.route("/", webhookRoutes());
  app.route("/", apiRoutes());
  app.notFound((c) => errorResponse(c, new BotsyncError("NOT_FOUND", `no route for ${c.req.method} ${c.req.path}`), c.env.deps.log));
  app.onError((error, c) => errorResponse(c, error, c.env.deps.log));
  return app;
}
