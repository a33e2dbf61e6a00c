import { BotsyncError } from "../../core/errors.js";
import type { ReconcileReport } from "../../core/reconcile/reconcile.js";
import type { AppDeps } from "../app-deps.js";
import { jsonRoute } from "../http/json-route.js";
import { router } from "../http/router.js";
import { findBot } from "./find-bot.js";
import * as s from "./schemas.js";

export const syncBotRoute = jsonRoute({
  method: "post",
  path: "/api/bots/{bot}/sync",
  summary: "Reconcile one bot now",
  auth: "api",
  tags: ["reconcile"],
  request: { params: s.botParams },
  response: s.reconcileReport,
  errors: [400, 404, 409, 503],
});

export const reconcileAllRoute = jsonRoute({
  method: "post",
  path: "/api/reconcile",
  summary: "Reconcile every bot now",
  auth: "api",
  tags: ["reconcile"],
  response: s.reconcileReport,
  errors: [409, 503],
});

export function reconcileRoutes() {
  return router()
    .openapi(syncBotRoute, async (c) => {
      const bot = await findBot(c.env.deps, c.req.valid("param").bot);
      return c.json(await reconcileNow(c.env.deps, bot.name), 200);
    })
    .openapi(reconcileAllRoute, async (c) => c.json(await reconcileNow(c.env.deps), 200));
}

/** A tick is short; an operator's sync waits for a running one instead of failing at once. */
export async function reconcileNow(deps: AppDeps, bot?: string): Promise<ReconcileReport> {
  for (let attempt = 0; ; attempt++) {
    const report = await deps.reconcile(bot);
    if (report.status === "done") {
      if (report.queued > 0) deps.onQueued();
      return report;
    }
    if (attempt >= 20) throw new BotsyncError("CONFLICT", "another reconcile is still running; try again in a few seconds");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
