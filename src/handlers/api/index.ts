import { router } from "../http/router.js";
import { botRoutes } from "./bots.js";
import { eventRoutes } from "./events.js";
import { kbRoutes } from "./kb.js";
import { reconcileRoutes } from "./reconcile.js";
import { validateRoutes } from "./validate.js";

/** `/api/*`: each route declares its token and body limit (src/handlers/http/json-route.ts). */
export function apiRoutes() {
  return router().route("/", botRoutes()).route("/", kbRoutes()).route("/", validateRoutes()).route("/", reconcileRoutes()).route("/", eventRoutes());
}
