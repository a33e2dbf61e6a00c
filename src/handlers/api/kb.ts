import { z } from "@hono/zod-openapi";
import { reindexKb } from "../../core/kb/kb-reindex.js";
import { searchKb } from "../../core/kb/search-kb.js";
import { summarizeKbs } from "../../core/kb/summarize-kbs.js";
import { jsonRoute } from "../http/json-route.js";
import { router } from "../http/router.js";
import { findBot } from "./find-bot.js";
import * as s from "./schemas.js";

export const kbListRoute = jsonRoute({
  method: "get",
  path: "/api/bots/{bot}/kb",
  summary: "A bot's knowledge bases and documents: state, chunk counts, errors",
  auth: "api",
  tags: ["knowledge base"],
  request: { params: s.botParams },
  response: s.kbList,
  errors: [400, 404],
});

export const kbReindexRoute = jsonRoute({
  method: "post",
  path: "/api/bots/{bot}/kb/reindex",
  summary: "Index every document of the bot (or of ?kb=) again",
  auth: "api",
  tags: ["knowledge base"],
  request: { params: s.botParams, query: s.kbQuery },
  response: z.object({ bot: z.string(), kb: z.string().nullable(), queued: z.number().int() }),
  errors: [400, 404],
});

export const kbSearchRoute = jsonRoute({
  method: "get",
  path: "/api/bots/{bot}/kb/search",
  summary: "Ranked chunks with document path and score",
  auth: "api",
  tags: ["knowledge base"],
  request: { params: s.botParams, query: s.kbSearchQuery },
  response: s.kbSearch,
  errors: [400, 404, 503],
});

export function kbRoutes() {
  return router()
    .openapi(kbListRoute, async (c) => {
      const bot = await findBot(c.env.deps, c.req.valid("param").bot);
      const documents = await c.env.deps.status.listKbDocuments(bot.id);
      return c.json({ bot: bot.name, kbs: summarizeKbs(documents), documents }, 200);
    })
    .openapi(kbReindexRoute, async (c) => {
      const bot = await findBot(c.env.deps, c.req.valid("param").bot);
      const { kb } = c.req.valid("query");
      const { queued } = await reindexKb(c.env.deps.kbReindex, bot, kb);
      if (queued > 0) c.env.deps.onQueued();
      return c.json({ bot: bot.name, kb: kb ?? null, queued }, 200);
    })
    .openapi(kbSearchRoute, async (c) => {
      const bot = await findBot(c.env.deps, c.req.valid("param").bot);
      const { q, kb, limit } = c.req.valid("query");
      const result = await searchKb(c.env.deps.kbSearch, { botId: bot.id, bot: bot.name, text: q, kb, limit });
      return c.json({ bot: bot.name, query: q, ...result }, 200);
    });
}
