import { BotsyncError } from "../../core/errors.js";
import type { BotSummary } from "../../core/ports/status-reader.js";
import type { AppDeps } from "../app-deps.js";

/** The bot a (schema-validated) name refers to, or NOT_FOUND. */
export async function findBot(deps: AppDeps, name: string): Promise<BotSummary> {
  const bot = await deps.status.findBot(name);
  if (!bot) throw new BotsyncError("NOT_FOUND", `no bot named "${name}"`);
  return bot;
}
