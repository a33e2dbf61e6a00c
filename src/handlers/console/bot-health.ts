import type { BotSummary } from "../../core/ports/status-reader.js";
import type { BotDrift } from "../api/bot-drift.js";

export interface BotHealth {
  /** the badge class: failed, retry, drift, pending, synced */
  state: "failed" | "retry" | "drift" | "pending" | "synced";
  label: string;
  /** an operator should look: something failed, is retrying, or the bucket and the database disagree */
  attention: boolean;
  /** drift entries an operator should look at (pending work is on its way, not drift) */
  drifting: number | null;
}

/** One verdict per bot, worst first, for the Bots list and the top of the Bot page. */
export function botHealth(bot: BotSummary, drift: BotDrift): BotHealth {
  const drifting = drift.inSync === null ? null : drift.entries.filter((e) => !(e.kind === "not-processed" && e.status === "pending")).length;
  if (bot.failed > 0) return { state: "failed", label: `${bot.failed} failed`, attention: true, drifting };
  if (bot.retrying > 0) return { state: "retry", label: `${bot.retrying} retrying`, attention: true, drifting };
  if (drifting === null) return { state: "drift", label: "drift unknown", attention: true, drifting };
  if (drifting > 0) return { state: "drift", label: `${drifting} differ`, attention: true, drifting };
  if (bot.pending > 0) return { state: "pending", label: `${bot.pending} pending`, attention: false, drifting };
  return { state: "synced", label: "in sync", attention: false, drifting };
}
