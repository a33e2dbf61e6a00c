import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { BotsyncError } from "../../core/errors.js";
import { isBotName } from "../../core/paths/bot-name.js";
import { classifyObject } from "../../core/paths/classify-object.js";
import type { BotSummary } from "../../core/ports/status-reader.js";
import type { ReconcileReport } from "../../core/reconcile/reconcile.js";
import { computeDrift } from "../../core/status/drift.js";
import { errorText } from "../../core/errors.js";
import type { AppDeps, AppEnv } from "../app-deps.js";
import { requireToken } from "../http/bearer-token.js";
import { openApiDocument } from "./openapi.js";

export const API_MAX_BODY_BYTES = 64 * 1024;

export function apiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/api/openapi.json", (c) => c.json(openApiDocument()));

  // No API route takes a body today; anything sent along is refused past a small limit rather than buffered.
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: API_MAX_BODY_BYTES,
      onError: () => {
        throw new BotsyncError("PAYLOAD_TOO_LARGE", `request body is larger than ${API_MAX_BODY_BYTES} bytes`);
      },
    }),
  );

  app.use("/api/*", async (c, next) => {
    const { api } = await c.env.deps.secrets.tokens();
    await requireToken(c.req.header("authorization"), api, "API");
    await next();
  });

  app.get("/api/bots", async (c) => c.json({ bots: await c.env.deps.status.listBots() }));

  app.get("/api/bots/:bot", async (c) => {
    const deps = c.env.deps;
    const bot = await botOrThrow(c);
    const [objects, configSync] = await Promise.all([deps.status.listObjects(bot.id), deps.status.configSync(bot.id)]);
    let drift: { inSync: boolean | null; entries: ReturnType<typeof computeDrift>; error?: string };
    try {
      const listing = await deps.drive.listObjects(`${bot.name}.gbai`);
      const entries = computeDrift(listing, objects, (key) => {
        const classified = classifyObject(bot.name, key);
        return classified.ok && deps.handlers.has(classified.kind);
      });
      drift = { inSync: entries.length === 0, entries };
    } catch (error) {
      drift = { inSync: null, entries: [], error: errorText(error) };
    }
    return c.json({ bot, objects, configSync, drift });
  });

  app.get("/api/bots/:bot/config", async (c) => {
    const deps = c.env.deps;
    const bot = await botOrThrow(c);
    const [config, sync] = await Promise.all([deps.status.listConfig(bot.id), deps.status.configSync(bot.id)]);
    return c.json({ bot: bot.name, sync, config });
  });

  app.post("/api/bots/:bot/sync", async (c) => {
    const bot = await botOrThrow(c);
    return c.json(await reconcileNow(c.env.deps, bot.name));
  });

  app.post("/api/reconcile", async (c) => c.json(await reconcileNow(c.env.deps)));

  app.get("/api/events", async (c) => {
    const deps = c.env.deps;
    const limitText = c.req.query("limit") ?? "100";
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new BotsyncError("BAD_REQUEST", `limit must be an integer from 1 to 1000 (got ${JSON.stringify(limitText.slice(0, 20))})`);
    }
    const botName = c.req.query("bot");
    const botId = botName === undefined ? undefined : (await findBot(deps, botName)).id;
    return c.json({ events: await deps.status.listEvents({ limit, botId }) });
  });

  return app;
}

async function botOrThrow(c: Context<AppEnv>): Promise<BotSummary> {
  return findBot(c.env.deps, c.req.param("bot") ?? "");
}

async function findBot(deps: AppDeps, name: string): Promise<BotSummary> {
  if (!isBotName(name)) throw new BotsyncError("INVALID_BOT_NAME", `not a valid bot name: ${JSON.stringify(name.slice(0, 80))}`);
  const bot = await deps.status.findBot(name);
  if (!bot) throw new BotsyncError("NOT_FOUND", `no bot named "${name}"`);
  return bot;
}

/** A tick is short; an operator's sync waits for a running one instead of failing at once. */
async function reconcileNow(deps: AppDeps, bot?: string): Promise<ReconcileReport> {
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
