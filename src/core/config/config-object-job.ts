/**
 * `{bot}.gbai/{bot}.gbot/config.csv` → bot_configuration: the config slice. Parsing is pure; the apply
 * (insert, update, delete of the keys this file wrote before, gbot_config_sync bookkeeping) goes through the
 * slice's store, inside the job transaction.
 */
import type { ObjectDiagnostic } from "../jobs/job-types.js";
import type { BytesObjectJobHandler } from "../jobs/object-job-handler.js";
import type { ObjectKind } from "../jobs/object-kind.js";
import type { ValueCipher } from "../ports/value-cipher.js";
import type { ConfigStore } from "./config-store.js";
import { parseConfigCsv, type ConfigDiagnostic } from "./parse-config-csv.js";

/** A config.csv is a few KiB; 1 MiB means a wrong file was uploaded, not a bigger config. */
export const CONFIG_MAX_BYTES = 1024 * 1024;

/**
 * Exactly `{bot}.gbot/config.csv`, case-sensitive: the botserver matched anything containing `.gbot/` and
 * ending in `config.csv` (so `x.gbot/old/myconfig.csv` overwrote the bot's configuration).
 */
export function configKind(cipher: CipherSource): ObjectKind<ConfigStore> {
  return {
    name: "config",
    fileType: "config",
    lane: "fast",
    matches: (bot, key) => key === `${bot}.gbot/config.csv`,
    handler: configObjectJob(cipher),
  };
}

/** The cipher for the master key in force, or null when none is configured (values are then stored open). */
export type CipherSource = () => Promise<ValueCipher | null>;

export function configObjectJob(cipher: CipherSource): BytesObjectJobHandler<ConfigStore, { cipher: ValueCipher | null }> {
  return {
    maxBytes: CONFIG_MAX_BYTES,
    // Asked before the transaction: a slow secret store must not hold a database connection.
    prepare: async () => ({ cipher: await cipher() }),
    async apply({ job, bytes, etag, prepared }, store) {
      const parsed = parseConfigCsv(bytes);
      const applied = await store.applyConfigFile({
        botId: job.botId,
        filePath: job.filePath,
        etag,
        entries: parsed.entries,
        diagnostics: parsed.diagnostics,
        cipher: prepared?.cipher ?? null,
      });
      return { diagnostics: [...parsed.diagnostics, ...applied.diagnostics].map(toObjectDiagnostic) };
    },
    async remove({ job }, store) {
      await store.removeConfigFile({ botId: job.botId, filePath: job.filePath });
    },
  };
}

export function toObjectDiagnostic(d: ConfigDiagnostic): ObjectDiagnostic {
  return { severity: "warning", code: d.code, message: d.message, line: d.line };
}
