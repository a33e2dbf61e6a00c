import type { Tx } from "./connect.js";
import type { ConfigDiagnostic, ConfigEntry } from "../../core/config/parse-config-csv.js";
import { planConfigApply } from "../../core/config/plan-config-apply.js";
import { isSensitiveKey } from "../../core/config/sensitive-keys.js";
import type { ConfigApplySummary, ConfigStore } from "../../core/config/config-store.js";
import { KB_FILE_TYPE } from "../../core/kb/kb-object-job.js";
import type { ValueCipher } from "../../core/ports/value-cipher.js";

interface ExistingRow {
  key: string;
  value: string;
  type: string;
  encrypted: boolean;
}

/**
 * The config slice's store: config.csv → bot_configuration inside the job's transaction. Only rows whose value or type changed are
 * touched (so `updated_at` moves only for them); keys this file wrote before and no longer has are deleted;
 * keys set by other means are left alone. Sensitive values (src/core/config/sensitive-keys.ts) are stored
 * sealed with `is_encrypted = true`; stored sealed values are opened to compare, so an unchanged secret is
 * not rewritten. Independent statements are issued together so postgres.js pipelines them.
 */
export function pgConfigStore(tx: Tx): ConfigStore {
  return {
    async applyConfigFile({ botId, filePath, etag, entries, diagnostics, cipher }): Promise<ConfigApplySummary> {
      const [rows, state] = await Promise.all([
        tx<ExistingRow[]>`
          select config_key as key, config_value as value, config_type as type, is_encrypted as encrypted
          from bot_configuration where bot_id = ${botId}`,
        tx<{ owned_keys: string[] }[]>`select owned_keys from botsync_config_state where bot_id = ${botId}`,
      ]);
      const existing = await Promise.all(rows.map((row) => openRow(row, botId, cipher)));
      const plan = planConfigApply(entries, existing, state[0]?.owned_keys ?? []);
      // A value stored in the wrong form (plain but sensitive, or the rule changed) is rewritten too.
      const byKey = new Map(existing.map((r) => [r.key, r]));
      const reseal = plan.unchanged
        .map((key) => entries.findLast((e) => e.key === key)!)
        .filter((e) => byKey.get(e.key)!.encrypted !== wantsEncryption(e.key, cipher));
      const updates = [...plan.updates, ...reseal];
      const applyDiagnostics: ConfigDiagnostic[] = diagnostics.slice();
      if (!cipher) {
        for (const entry of entries.filter((e) => isSensitiveKey(e.key))) {
          applyDiagnostics.push({
            line: entry.line,
            code: "stored-unencrypted",
            message: `line ${entry.line}: "${entry.key}" holds a secret but no encryption master key is configured; stored unencrypted`,
          });
        }
      }
      const [inserts, changed] = await Promise.all([seal(plan.inserts, botId, cipher), seal(updates, botId, cipher)]);
      const writes: Promise<unknown>[] = [];
      if (inserts.length > 0) {
        writes.push(tx`
          insert into bot_configuration (id, bot_id, config_key, config_value, config_type, is_encrypted)
          select gen_random_uuid(), ${botId}, k, v, t, e::bool
          from unnest(${inserts.map((e) => e.key)}::text[], ${inserts.map((e) => e.value)}::text[],
                      ${inserts.map((e) => e.type)}::text[], ${inserts.map((e) => String(e.encrypted))}::text[]) as c(k, v, t, e)`);
      }
      if (changed.length > 0) {
        writes.push(tx`
          update bot_configuration b set config_value = c.v, config_type = c.t, is_encrypted = c.e::bool, updated_at = now()
          from unnest(${changed.map((e) => e.key)}::text[], ${changed.map((e) => e.value)}::text[],
                      ${changed.map((e) => e.type)}::text[], ${changed.map((e) => String(e.encrypted))}::text[]) as c(k, v, t, e)
          where b.bot_id = ${botId} and b.config_key = c.k`);
      }
      if (plan.deletes.length > 0) {
        writes.push(tx`delete from bot_configuration where bot_id = ${botId} and config_key = any(${plan.deletes}::text[])`);
      }
      writes.push(
        tx`
          insert into gbot_config_sync (id, bot_id, config_file_path, file_hash, sync_count, last_sync_at)
          values (gen_random_uuid(), ${botId}, ${filePath}, ${etag}, 1, now())
          on conflict (bot_id) do update set config_file_path = excluded.config_file_path, file_hash = excluded.file_hash,
            last_sync_at = now(), sync_count = gbot_config_sync.sync_count + 1`,
        tx`
          insert into botsync_config_state (bot_id, file_path, etag, owned_keys, diagnostics, applied_at)
          values (${botId}, ${filePath}, ${etag}, ${plan.ownedKeys}::text[], ${tx.json(applyDiagnostics as never)}, now())
          on conflict (bot_id) do update set file_path = excluded.file_path, etag = excluded.etag,
            owned_keys = excluded.owned_keys, diagnostics = excluded.diagnostics, applied_at = now()`,
      );
      // A changed embedding model or chunking re-indexes the bot's KB documents in the background, instead of
      // wiping the index as the botserver does (docs/botserver-compatibility.md, "Qdrant layout") — in this
      // same transaction.
      const touched = [...plan.inserts.map((e) => e.key), ...plan.updates.map((e) => e.key), ...plan.deletes];
      if (touched.some((key) => REINDEX_KEYS.test(key))) {
        writes.push(tx`
          update drive_files set sync_status = 'pending', next_attempt_at = now(), queued_at = now(), reprocess = true, attempts = 0,
            revision = revision + 1, updated_at = now()
          where bot_id = ${botId} and file_type = ${KB_FILE_TYPE} and present`);
      } else if (touched.some((key) => KB_CONFIG_KEYS.test(key))) {
        // A document that failed for good because of its bot's config (a rejected embedding-key, a value that
        // did not decrypt) gets a fresh try when that config changes, not only when the document does.
        writes.push(tx`
          update drive_files set sync_status = 'pending', next_attempt_at = now(), queued_at = now(), attempts = 0, revision = revision + 1, updated_at = now()
          where bot_id = ${botId} and file_type = ${KB_FILE_TYPE} and present and sync_status = 'failed'`);
      }
      await Promise.all(writes);
      return {
        inserted: inserts.length,
        updated: changed.length,
        unchanged: plan.unchanged.length - reseal.length,
        deleted: plan.deletes.length,
        diagnostics: applyDiagnostics.slice(diagnostics.length),
      };
    },

    async removeConfigFile({ botId }) {
      const [state] = await tx<{ owned_keys: string[] }[]>`select owned_keys from botsync_config_state where bot_id = ${botId}`;
      const owned = state?.owned_keys ?? [];
      const [deleted] = await Promise.all([
        owned.length > 0 ? tx`delete from bot_configuration where bot_id = ${botId} and config_key = any(${owned}::text[])` : null,
        tx`delete from botsync_config_state where bot_id = ${botId}`,
        tx`delete from gbot_config_sync where bot_id = ${botId}`,
      ]);
      return { deleted: deleted?.count ?? 0 };
    },
  };
}

/** Keys the KB job reads: a change gives documents that failed for good a fresh try. */
const KB_CONFIG_KEYS = /^(embedding-|kb-)/;

/** Keys whose change means every KB document must be chunked or embedded again. */
const REINDEX_KEYS = /^(embedding-(url|model|dimensions)|kb-chunk-size|kb-chunk-overlap|kb-min-chunk-size|kb-max-chunks|kb-language)$/;

function wantsEncryption(key: string, cipher: ValueCipher | null): boolean {
  return cipher !== null && isSensitiveKey(key);
}

/** A stored sealed value that does not open (another key, written by someone else) compares as changed. */
async function openRow(row: ExistingRow, botId: string, cipher: ValueCipher | null): Promise<ExistingRow> {
  if (!row.encrypted || !cipher) return row;
  try {
    return { ...row, value: await cipher.decrypt(botId, row.value) };
  } catch {
    return { ...row, value: "\u0000unreadable" };
  }
}

async function seal(entries: ConfigEntry[], botId: string, cipher: ValueCipher | null) {
  return Promise.all(
    entries.map(async (e) => {
      const encrypted = wantsEncryption(e.key, cipher);
      return { key: e.key, type: e.type, encrypted, value: encrypted ? await cipher!.encrypt(botId, e.value) : e.value };
    }),
  );
}
