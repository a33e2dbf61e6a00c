import { z } from "@hono/zod-openapi";
import { jsonRoute } from "../http/json-route.js";
import { router } from "../http/router.js";
import { botDrift } from "./bot-drift.js";
import { botSubscription } from "./bot-subscription.js";
import { findBot } from "./find-bot.js";
import * as s from "./schemas.js";

export const listBotsRoute = jsonRoute({
  method: "get",
  path: "/api/bots",
  summary: "Every bot with its sync counts",
  auth: "api",
  tags: ["bots"],
  response: z.object({ bots: z.array(s.botSummary) }),
});

export const botDetailRoute = jsonRoute({
  method: "get",
  path: "/api/bots/{bot}",
  summary: "A bot's objects, config sync state and bucket/database drift",
  auth: "api",
  tags: ["bots"],
  request: { params: s.botParams },
  response: s.botDetail,
  errors: [400, 404],
});

export const botConfigRoute = jsonRoute({
  method: "get",
  path: "/api/bots/{bot}/config",
  summary: "A bot's bot_configuration rows",
  auth: "api",
  tags: ["bots"],
  request: { params: s.botParams },
  response: s.configList,
  errors: [400, 404],
});

export const botDialogsRoute = jsonRoute({
  method: "get",
  path: "/api/bots/{bot}/dialogs",
  summary: "A bot's dialogs: compile state, diagnostics, tool, schedules",
  auth: "api",
  tags: ["bots"],
  request: { params: s.botParams },
  response: s.dialogList,
  errors: [400, 404],
});

export function botRoutes() {
  return router()
    .openapi(listBotsRoute, async (c) => c.json({ bots: await c.env.deps.status.listBots() }, 200))
    .openapi(botDetailRoute, async (c) => {
      const deps = c.env.deps;
      const bot = await findBot(deps, c.req.valid("param").bot);
      const [objects, configSync, subscription] = await Promise.all([
        deps.status.listObjects(bot.id),
        deps.status.configSync(bot.id),
        botSubscription(deps, bot),
      ]);
      return c.json({ bot, objects, configSync, drift: await botDrift(deps, bot, objects), subscription }, 200);
    })
    .openapi(botConfigRoute, async (c) => {
      const deps = c.env.deps;
      const bot = await findBot(deps, c.req.valid("param").bot);
      const [config, sync] = await Promise.all([deps.status.listConfig(bot.id), deps.status.configSync(bot.id)]);
      return c.json({ bot: bot.name, sync, config }, 200);
    })
    .openapi(botDialogsRoute, async (c) => {
      const bot = await findBot(c.env.deps, c.req.valid("param").bot);
      return c.json({ bot: bot.name, dialogs: await c.env.deps.status.listDialogs(bot.id) }, 200);
    });
}
