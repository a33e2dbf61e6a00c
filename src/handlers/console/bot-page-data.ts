/**
 * Everything the Bot page shows, gathered at once: the read models, the drift (the bucket listed now), the
 * source of each dialog that has diagnostics (read from the drive, so the lines they point at can be shown)
 * and, when asked, a knowledge-base search.
 */
import { DIALOG_MAX_BYTES } from "../../core/dialogs/dialog-object-job.js";
import { BotsyncError, errorText } from "../../core/errors.js";
import { searchKb } from "../../core/kb/search-kb.js";
import { summarizeKbs, type KbSummary } from "../../core/kb/summarize-kbs.js";
import type { SearchHit } from "../../core/ports/chunk-index.js";
import type {
  BotSummary,
  ConfigRow,
  ConfigSyncState,
  DialogState,
  KbDocumentState,
  ObjectState,
} from "../../core/ports/status-reader.js";
import { botDrift, type BotDrift } from "../api/bot-drift.js";
import { botSubscription, type BotSubscription } from "../api/bot-subscription.js";
import { kbSearchQuery } from "../api/schemas.js";
import type { AppDeps } from "../app-deps.js";
import { stripBom } from "../../core/text/byte-order-mark.js";
import { botHealth, type BotHealth } from "./bot-health.js";

/** The .bas a dialog's diagnostics point into, as the bucket holds it now. */
export type DialogSource =
  | { kind: "text"; text: string; etag: string }
  | { kind: "unavailable"; reason: string }
  /** no diagnostics, nothing to point at, and not asked for: not read */
  | { kind: "not-read" };

export interface KbSearchView {
  query: string;
  kb: string | undefined;
  outcome: { ok: true; mode: "vector" | "fulltext"; hits: SearchHit[] } | { ok: false; error: string };
}

export interface BotPageData {
  bot: BotSummary;
  health: BotHealth;
  drift: BotDrift;
  subscription: BotSubscription;
  objects: ObjectState[];
  configSync: ConfigSyncState | null;
  config: ConfigRow[];
  dialogs: Array<{ dialog: DialogState; source: DialogSource }>;
  kbs: KbSummary[];
  documents: KbDocumentState[];
  search: KbSearchView | null;
}

/** Lenient: the page shows a file that is not UTF-8 with U+FFFD where its bad bytes are, next to the job's error. */
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * `search` runs a KB search; `source` names a dialog whose text to show although it has no diagnostics (the
 * text of dialogs with diagnostics is always read: it is what they point at).
 */
export async function loadBotPage(deps: AppDeps, bot: BotSummary, ask: { q?: string; kb?: string; source?: string }): Promise<BotPageData> {
  const [objects, configSync, config, dialogs, documents] = await Promise.all([
    deps.status.listObjects(bot.id),
    deps.status.configSync(bot.id),
    deps.status.listConfig(bot.id),
    deps.status.listDialogs(bot.id),
    deps.status.listKbDocuments(bot.id),
  ]);
  const [drift, subscription, sources, found] = await Promise.all([
    botDrift(deps, bot, objects),
    botSubscription(deps, bot),
    Promise.all(dialogs.map((dialog) => dialogSource(deps, bot.name, dialog, dialog.key === ask.source))),
    ask.q === undefined ? Promise.resolve(null) : searchFor(deps, bot, ask.q, ask.kb),
  ]);
  return {
    bot,
    health: botHealth(bot, drift),
    drift,
    subscription,
    objects,
    configSync,
    config,
    dialogs: dialogs.map((dialog, i) => ({ dialog, source: sources[i]! })),
    kbs: summarizeKbs(documents),
    documents,
    search: found,
  };
}

async function dialogSource(deps: AppDeps, bot: string, dialog: DialogState, asked: boolean): Promise<DialogSource> {
  if (dialog.diagnostics.length === 0 && !asked) return { kind: "not-read" };
  try {
    const object = await deps.drive.getObject(`${bot}.gbai`, dialog.key, DIALOG_MAX_BYTES);
    if (!object) return { kind: "unavailable", reason: "the file is no longer in the bucket" };
    return { kind: "text", text: stripBom(utf8.decode(object.bytes)), etag: object.etag };
  } catch (error) {
    return { kind: "unavailable", reason: errorText(error) };
  }
}

/** The API's own query rules (trimmed, 1–1000 characters, a valid KB name); a failure is shown, not thrown. */
async function searchFor(deps: AppDeps, bot: BotSummary, q: string, kb: string | undefined): Promise<KbSearchView> {
  const parsed = kbSearchQuery.safeParse({ q, kb });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { query: q, kb, outcome: { ok: false, error: `${issue.path.join(".") || "query"}: ${issue.message}` } };
  }
  try {
    const result = await searchKb(deps.kbSearch, { botId: bot.id, bot: bot.name, text: parsed.data.q, kb: parsed.data.kb, limit: parsed.data.limit });
    return { query: parsed.data.q, kb: parsed.data.kb, outcome: { ok: true, ...result } };
  } catch (error) {
    // A dependency that is down (embeddings, Qdrant) is worth a line on the page; anything else is a bug.
    if (!(error instanceof BotsyncError)) throw error;
    deps.log.warn("console KB search failed", { bot: bot.name, error: errorText(error) });
    return { query: q, kb, outcome: { ok: false, error: errorText(error) } };
  }
}
