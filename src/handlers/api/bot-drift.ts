import { errorText } from "../../core/errors.js";
import type { BotSummary, ObjectState } from "../../core/ports/status-reader.js";
import { computeDrift, type DriftEntry } from "../../core/status/drift.js";
import type { AppDeps } from "../app-deps.js";

export interface BotDrift {
  /** null when the bucket could not be listed */
  inSync: boolean | null;
  entries: DriftEntry[];
  error?: string;
}

/** The bot's bucket listed now against what the database holds; a drive that cannot be listed is reported, not thrown. */
export async function botDrift(deps: AppDeps, bot: BotSummary, objects: ObjectState[]): Promise<BotDrift> {
  try {
    const listing = await deps.drive.listObjects(`${bot.name}.gbai`);
    const entries = computeDrift(listing, objects, (key) => {
      const classified = deps.kinds.classify(bot.name, key);
      return classified.ok && classified.kind !== null;
    });
    return { inSync: entries.length === 0, entries };
  } catch (error) {
    return { inSync: null, entries: [], error: errorText(error) };
  }
}
