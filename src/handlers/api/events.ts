import { jsonRoute } from "../http/json-route.js";
import { router } from "../http/router.js";
import { findBot } from "./find-bot.js";
import * as s from "./schemas.js";

export const eventsRoute = jsonRoute({
  method: "get",
  path: "/api/events",
  summary: "Recent notifications and what became of them",
  auth: "api",
  tags: ["events"],
  request: { query: s.eventsQuery },
  response: s.eventList,
  errors: [400, 404],
});

export function eventRoutes() {
  return router().openapi(eventsRoute, async (c) => {
    const deps = c.env.deps;
    const { limit, bot } = c.req.valid("query");
    const botId = bot === undefined ? undefined : (await findBot(deps, bot)).id;
    return c.json({ events: await deps.status.listEvents({ limit, botId }) }, 200);
  });
}
