/**
 * Pure planner for applying a parsed config.csv to `bot_configuration`. The adapter executes the plan;
 * this only decides.
 *
 * Ownership: a sync remembers which keys the file wrote (`previouslyOwned`). A key that leaves the file is
 * deleted only if this file owned it, so keys set by other means (API, admin UI, another tool) survive —
 * unlike an April 2026 botserver, which deleted every key first, and unlike the botserver as of May 2026,
 * which never deletes anything (docs/botserver-compatibility.md, "config.csv").
 *
 * Ordering: inserts, updates and unchanged follow the order of `entries` (file order); deletes and
 * ownedKeys are sorted by UTF-16 code units (plain `sort()`, locale-independent) so plans are
 * deterministic. If `entries` repeats a key (the parser never does), the last one wins.
 */
import type { ConfigEntry } from "./parse-config-csv.js";

export interface ExistingConfigRow {
  key: string;
  value: string;
  type: string;
}

export interface ConfigApplyPlan {
  /** Keys not in the table. */
  inserts: ConfigEntry[];
  /** Keys in the table whose value OR type differs. */
  updates: ConfigEntry[];
  /** Keys present with identical value and type. */
  unchanged: string[];
  /** Keys the previous sync of this file wrote, that the file no longer has (and that still exist). */
  deletes: string[];
  /** Keys this file now owns (all entry keys), sorted. */
  ownedKeys: string[];
}

export function planConfigApply(
  entries: ConfigEntry[],
  existing: ExistingConfigRow[],
  previouslyOwned: readonly string[],
): ConfigApplyPlan {
  const wanted = new Map<string, ConfigEntry>();
  for (const entry of entries) {
    wanted.delete(entry.key);
    wanted.set(entry.key, entry);
  }
  const current = new Map<string, ExistingConfigRow>();
  for (const row of existing) current.set(row.key, row);

  const inserts: ConfigEntry[] = [];
  const updates: ConfigEntry[] = [];
  const unchanged: string[] = [];
  for (const entry of wanted.values()) {
    const row = current.get(entry.key);
    if (row === undefined) inserts.push(entry);
    else if (row.value !== entry.value || row.type !== entry.type) updates.push(entry);
    else unchanged.push(entry.key);
  }

  const deletes = new Set<string>();
  for (const key of previouslyOwned) {
    if (!wanted.has(key) && current.has(key)) deletes.add(key);
  }

  return {
    inserts,
    updates,
    unchanged,
    deletes: Array.from(deletes).sort(),
    ownedKeys: Array.from(wanted.keys()).sort(),
  };
}
