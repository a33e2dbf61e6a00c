/**
 * `{bot}.gbai/{bot}.gbot/config.csv` → bot_configuration. Parsing is pure; the apply (insert, update,
 * delete of the keys this file wrote before, gbot_config_sync bookkeeping) happens in the job transaction.
 */
import type { ObjectDiagnostic } from "../jobs/job-types.js";
import type { ObjectJobHandler } from "../jobs/object-job-handler.js";
import { parseConfigCsv, type ConfigDiagnostic } from "./parse-config-csv.js";

/** A config.csv is a few KiB; 1 MiB means a wrong file was uploaded, not a bigger config. */
export const CONFIG_MAX_BYTES = 1024 * 1024;

export function configObjectJob(): ObjectJobHandler {
  return {
    kind: "config",
    maxBytes: CONFIG_MAX_BYTES,
    async apply({ job, bytes, etag }, tx) {
      const parsed = parseConfigCsv(bytes);
      const applied = await tx.applyConfigFile({
        botId: job.botId,
        filePath: job.filePath,
        etag,
        entries: parsed.entries,
        diagnostics: parsed.diagnostics,
      });
      return { diagnostics: [...parsed.diagnostics, ...applied.diagnostics].map(toObjectDiagnostic) };
    },
    async remove({ job }, tx) {
      await tx.removeConfigFile({ botId: job.botId, filePath: job.filePath });
    },
  };
}

export function toObjectDiagnostic(d: ConfigDiagnostic): ObjectDiagnostic {
  return { severity: "warning", code: d.code, message: d.message, line: d.line };
}
