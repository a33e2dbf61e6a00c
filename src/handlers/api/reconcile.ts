import { BotsyncError } from "../../core/errors.js";
import type { ReconcileReport } from "../../core/reconcile/reconcile.js";
import { retrying } from "../../core/time/retry.js";
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

/** Another reconcile (a tick, another replica's) is asked again every 250 ms, for up to 5 s. */
export const BUSY_RETRY_DELAYS_MS: readonly number[] = Array.from({ length: 20 }, () => 250);

/** A tick is short; an operator's sync waits for a running one instead of failing at once. */
export async function reconcileNow(deps: Pick<AppDeps, "reconcile" | "onQueued" | "clock">, bot?: string): Promise<ReconcileReport> {
  const report = await retrying(
    async () => {
      const attempt = await deps.reconcile(bot);
      if (attempt.status === "busy") throw new BotsyncError("CONFLICT", "another reconcile is still running; try again in a few seconds");
      return attempt;
    },
    { delays: BUSY_RETRY_DELAYS_MS, clock: deps.clock },
  );
  if (report.queued > 0) deps.onQueued();
  return report;
}
