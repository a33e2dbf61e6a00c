import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { BotsyncError } from "../../core/errors.js";
import { isBotName } from "../../core/paths/bot-name.js";
import { classifyObject } from "../../core/paths/classify-object.js";
import type { BotSummary } from "../../core/ports/status-reader.js";
import type { ReconcileReport } from "../../core/reconcile/reconcile.js";
import { computeDrift } from "../../core/status/drift.js";
import { DIALOG_MAX_BYTES } from "../../core/dialogs/dialog-object-job.js";
import { validateSource } from "../../core/validate/validate-source.js";
import { searchKb } from "../../core/kb/search-kb.js";
import { kbNameProblem } from "../../core/kb/kb-path.js";
import { errorText } from "../../core/errors.js";
import type { AppDeps, AppEnv } from "../app-deps.js";
import { requireToken } from "../http/bearer-token.js";
import { openApiDocument } from "./openapi.js";

export const API_MAX_BODY_BYTES = 64 * 1024;
/** a dialog's size limit plus room for the JSON envelope */
export const VALIDATE_MAX_BODY_BYTES = DIALOG_MAX_BYTES + 64 * 1024;

export function apiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/api/openapi.json", (c) => c.json(openApiDocument()));

  // Only /api/validate takes a body (a script, up to the size a dialog job accepts); anything sent to the
  // other routes is refused past a small limit rather than buffered.
  app.use("/api/*", async (c, next) => {
    const maxSize = c.req.path === "/api/validate" ? VALIDATE_MAX_BODY_BYTES : API_MAX_BODY_BYTES;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new BotsyncError("PAYLOAD_TOO_LARGE", `request body is larger than ${maxSize} bytes`);
      },
    })(c, next);
  });

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

  app.get("/api/bots/:bot/dialogs", async (c) => {
    const bot = await botOrThrow(c);
    return c.json({ bot: bot.name, dialogs: await c.env.deps.status.listDialogs(bot.id) });
  });

  app.get("/api/bots/:bot/kb", async (c) => {
    const bot = await botOrThrow(c);
    const documents = await c.env.deps.status.listKbDocuments(bot.id);
    const kbs = new Map<string, { name: string; documents: number; indexed: number; failed: number; chunks: number }>();
    for (const d of documents) {
      const kb = kbs.get(d.kb) ?? { name: d.kb, documents: 0, indexed: 0, failed: 0, chunks: 0 };
      kb.documents++;
      if (d.chunks !== null) kb.indexed++;
      if (d.status === "failed") kb.failed++;
      kb.chunks += d.chunks ?? 0;
      kbs.set(d.kb, kb);
    }
    return c.json({ bot: bot.name, kbs: [...kbs.values()].sort((a, b) => a.name.localeCompare(b.name)), documents });
  });

  app.post("/api/bots/:bot/kb/reindex", async (c) => {
    const bot = await botOrThrow(c);
    const kb = c.req.query("kb") || undefined;
    if (kb !== undefined && kbNameProblem(kb)) throw new BotsyncError("BAD_REQUEST", `kb: ${kbNameProblem(kb)}`);
    const queued = await c.env.deps.status.queueKbReindex(bot.id, kb);
    if (queued > 0) c.env.deps.onQueued();
    return c.json({ bot: bot.name, kb: kb ?? null, queued });
  });

  app.get("/api/bots/:bot/kb/search", async (c) => {
    const bot = await botOrThrow(c);
    const text = (c.req.query("q") ?? "").trim();
    if (text === "" || text.length > 1000) throw new BotsyncError("BAD_REQUEST", "q must be 1 to 1000 characters");
    const limitText = c.req.query("limit") ?? "10";
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new BotsyncError("BAD_REQUEST", "limit must be an integer from 1 to 100");
    const kb = c.req.query("kb") || undefined;
    return c.json({ bot: bot.name, query: text, ...(await searchKb(c.env.deps.kbSearch, { botId: bot.id, bot: bot.name, text, kb, limit })) });
  });

  app.post("/api/validate", async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new BotsyncError("BAD_REQUEST", 'body must be JSON: {"kind": "bas" | "config", "name": "start", "text": "…"}');
    }
    const input = body as { kind?: unknown; name?: unknown; text?: unknown };
    if ((input.kind !== "bas" && input.kind !== "config") || typeof input.text !== "string") {
      throw new BotsyncError("BAD_REQUEST", 'expected {"kind": "bas" | "config", "name"?: string, "text": string}');
    }
    const name = typeof input.name === "string" && input.name !== "" ? input.name : input.kind === "bas" ? "script" : "config";
    return c.json(validateSource({ kind: input.kind, name, text: input.text }));
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
