/**
 * Indexing a bot's knowledge base again on an operator's request (`POST /api/bots/:bot/kb/reindex`,
 * `botsync reindex`). The KB a document belongs to is decided by kbPathOf, so documents directly under
 * `{bot}.gbkb/` are the default KB's, as the job indexes them.
 */
import { BotsyncError } from "../errors.js";

/** The KB slice's queue of re-runs; implemented by src/adapters/db/kb-reindex-queue.ts. */
export interface KbReindexQueue {
  /** Marks the present documents of `bot` (or of its KB `kb`) to be indexed again; what it queued, and the KBs it has. */
  queueReindex(bot: { id: string; name: string }, kb?: string): Promise<{ queued: number; kbs: string[] }>;
}

export async function reindexKb(queue: KbReindexQueue, bot: { id: string; name: string }, kb?: string): Promise<{ queued: number }> {
  const { queued, kbs } = await queue.queueReindex(bot, kb);
  if (kb !== undefined && !kbs.includes(kb)) {
    throw new BotsyncError("NOT_FOUND", `bot "${bot.name}" has no KB named "${kb}"${kbs.length > 0 ? ` (its KBs: ${kbs.join(", ")})` : " (it has no KB documents)"}`);
  }
  return { queued };
}
