/**
 * The config slice's store: bot_configuration and its bookkeeping, written inside the job's transaction.
 * Implemented by src/adapters/db/config-store.ts.
 */
import type { ValueCipher } from "../ports/value-cipher.js";
import type { ConfigDiagnostic, ConfigEntry } from "./parse-config-csv.js";

export interface ConfigApplySummary {
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** problems found while applying (e.g. a secret stored unencrypted because no master key is set) */
  diagnostics: ConfigDiagnostic[];
}

export interface ConfigStore {
  /** Applies a parsed config.csv: changes only what differs, deletes the keys this file wrote before. */
  /** `cipher` seals sensitive values (and opens stored ones to compare); null stores them open, with a diagnostic */
  applyConfigFile(input: {
    botId: string;
    filePath: string;
    etag: string;
    entries: ConfigEntry[];
    diagnostics: ConfigDiagnostic[];
    cipher: ValueCipher | null;
  }): Promise<ConfigApplySummary>;
  /** Removes what the file wrote (config.csv was deleted). */
  removeConfigFile(input: { botId: string; filePath: string }): Promise<{ deleted: number }>;
}
