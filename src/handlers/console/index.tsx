/**
 * The operator console: server-rendered pages (Hono JSX) at `/`, served by the same app on Node and in a
 * Worker. Every page needs a session (src/handlers/middleware/session); every POST form also its CSRF
 * token. The JSON API is untouched and keeps its bearer token. These routes are HTML for people, not part
 * of the API, so they are plain Hono routes and stay out of the OpenAPI document.
 */
import { reindexKb } from "../../core/kb/kb-reindex.js";
import { Hono } from "hono";
import { BotsyncError } from "../../core/errors.js";
import type { BotSummary } from "../../core/ports/status-reader.js";
import { sourceKindOf, type SourceKind } from "../../core/validate/validate-source.js";
import { findBot } from "../api/find-bot.js";
import { reconcileNow } from "../api/reconcile.js";
import { botParams, kbQuery, validateBody } from "../api/schemas.js";
import { VALIDATE_MAX_BODY_BYTES } from "../api/validate.js";
import { DEFAULT_MAX_BODY_BYTES } from "../http/json-route.js";
import { limitBody } from "../middleware/body-limit/index.js";
import { requireCsrfToken, requireSession } from "../middleware/session/index.js";
import { loadBotPage } from "./bot-page-data.js";
import { BotPage } from "./bot-page.js";
import { botsPage } from "./bots-page.js";
import { nonceOf, pageHeaders, renderError, renderPage, type ConsoleContext, type ConsoleEnv } from "./console-page.js";
import { streamEvents } from "./event-stream.js";
import { EVENT_ROWS, EventRowsView, EventsPage } from "./events-page.js";
import { signInRoutes } from "./sign-in.js";
import { ValidatePage, type ValidateForm } from "./validate-page.js";

/** Polling period of the Events page where the runtime cannot stream (Workers). */
const POLL_EVERY_MS = 5_000;

export function consoleRoutes() {
  const app = new Hono<ConsoleEnv>();
  app.onError(renderError);
  // Middleware is attached per route, never with use("*"): mounted at "/", that would run for /api/* too.
  const page = [pageHeaders, requireSession("sign-in")] as const;
  const form = (maxBytes: number) => [pageHeaders, requireSession("sign-in"), limitBody(maxBytes), requireCsrfToken()] as const;
  const fetched = [pageHeaders, requireSession("unauthorized")] as const;

  app.route("/", signInRoutes());

  app.get("/", ...page, (c) => botsPage(c));

  app.get("/bots/:bot", ...page, async (c) => {
    const bot = await botOf(c);
    const data = await loadBotPage(c.env.deps, bot, { q: c.req.query("q"), kb: c.req.query("kb") || undefined, source: c.req.query("source") });
    const count = (name: string) => {
      const value = c.req.query(name);
      return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
    };
    const notices = { synced: count("synced"), syncError: c.req.query("sync-error"), reindexed: count("reindexed") };
    return renderPage(c, <BotPage data={data} notices={notices} csrf={c.get("session").csrf} nonce={nonceOf(c)} />);
  });

  app.post("/bots/:bot/sync", ...form(DEFAULT_MAX_BODY_BYTES), async (c) => {
    const bot = await botOf(c);
    const report = await reconcileNow(c.env.deps, bot.name);
    const error = report.buckets.find((b) => b.error)?.error;
    const query = new URLSearchParams({ synced: String(report.queued), ...(error ? { "sync-error": error.slice(0, 300) } : {}) });
    return c.redirect(`/bots/${bot.name}?${query}`, 303);
  });

  app.post("/bots/:bot/reindex", ...form(DEFAULT_MAX_BODY_BYTES), async (c) => {
    const bot = await botOf(c);
    const kb = kbQuery.safeParse({ kb: (await c.req.parseBody()).kb });
    if (!kb.success) throw new BotsyncError("BAD_REQUEST", `kb: ${kb.error.issues[0]!.message}`);
    const { queued } = await reindexKb(c.env.deps.kbReindex, bot, kb.data.kb);
    if (queued > 0) c.env.deps.onQueued();
    return c.redirect(`/bots/${bot.name}?reindexed=${queued}#kb`, 303);
  });

  app.get("/events", ...page, async (c) => {
    const deps = c.env.deps;
    const { name, id } = await eventsBot(c);
    const [events, bots] = await Promise.all([deps.status.listEvents({ limit: EVENT_ROWS, botId: id }), deps.status.listBots()]);
    return renderPage(
      c,
      <EventsPage events={events} bots={bots} bot={name} live={deps.liveEvents ? "sse" : "poll"} pollEveryMs={POLL_EVERY_MS} csrf={c.get("session").csrf} nonce={nonceOf(c)} />,
    );
  });

  app.get("/events/rows", ...fetched, async (c) => {
    const { id } = await eventsBot(c);
    const events = await c.env.deps.status.listEvents({ limit: EVENT_ROWS, botId: id });
    return c.html(String(<EventRowsView events={events} />));
  });

  app.get("/events/stream", ...fetched, async (c) => {
    const live = c.env.deps.liveEvents;
    if (!live) throw new BotsyncError("NOT_FOUND", "this runtime does not stream events; the Events page polls /events/rows instead");
    return streamEvents(c, live, (await eventsBot(c)).id);
  });

  app.get("/validate", ...page, (c) =>
    renderPage(c, <ValidatePage form={{ kind: "bas", name: "", text: "" }} result={null} problem={null} csrf={c.get("session").csrf} nonce={nonceOf(c)} />),
  );

  app.post("/validate", ...form(VALIDATE_MAX_BODY_BYTES), async (c) => {
    const form = await validateForm(c);
    const parsed = validateBody.safeParse(form);
    const view = (result: Parameters<typeof ValidatePage>[0]["result"], problem: string | null, status: 200 | 400 = 200) =>
      renderPage(c, <ValidatePage form={form} result={result} problem={problem} csrf={c.get("session").csrf} nonce={nonceOf(c)} />, status);
    if (!parsed.success) return view(null, `${parsed.error.issues[0]!.path.join(".") || "form"}: ${parsed.error.issues[0]!.message}`, 400);
    const { kind, name, text } = parsed.data;
    return view(await c.env.deps.validator.validate({ kind, name: name ?? (kind === "bas" ? "script" : "config"), text }), null);
  });

  return app;
}

/** The bot a path names: 400 for a name no bot can have, 404 for one that does not exist. */
async function botOf(c: ConsoleContext): Promise<BotSummary> {
  const parsed = botParams.safeParse({ bot: c.req.param("bot") });
  if (!parsed.success) throw new BotsyncError("INVALID_BOT_NAME", parsed.error.issues[0]!.message);
  return findBot(c.env.deps, parsed.data.bot);
}

/** `?bot=` of the Events routes: every bot when absent or empty. */
async function eventsBot(c: ConsoleContext): Promise<{ name?: string; id?: string }> {
  const name = c.req.query("bot");
  if (!name) return {};
  const parsed = botParams.safeParse({ bot: name });
  if (!parsed.success) throw new BotsyncError("INVALID_BOT_NAME", parsed.error.issues[0]!.message);
  const bot = await findBot(c.env.deps, parsed.data.bot);
  return { name: bot.name, id: bot.id };
}

/** The Validate form: a chosen file wins over the text box; its name tells the kind when it can. */
async function validateForm(c: ConsoleContext): Promise<ValidateForm> {
  const body = await c.req.parseBody();
  let kind: SourceKind = body.kind === "config" ? "config" : "bas";
  let text = typeof body.text === "string" ? body.text : "";
  let name = typeof body.name === "string" ? body.name.trim() : "";
  const file = body.file;
  if (file instanceof File && file.size > 0) {
    text = await file.text();
    kind = sourceKindOf(file.name) ?? kind;
    if (name === "" && kind === "bas") name = file.name.replace(/\.bas$/i, "");
  }
  // Browsers send a textarea's line breaks as CRLF; the compiler counts lines either way, the view shows LF.
  return { kind, name, text: text.replace(/\r\n/g, "\n") };
}
