import type postgres from "postgres";
import { planConfigApply } from "../../core/config/plan-config-apply.js";
import type { ConfigApplySummary, JobTx } from "../../core/ports/state-store.js";

type Tx = postgres.TransactionSql;

/**
 * config.csv → bot_configuration inside the job's transaction. Only rows whose value or type changed are
 * touched (so `updated_at` moves only for them); keys this file wrote before and no longer has are deleted;
 * keys set by other means are left alone. Independent statements are issued together so postgres.js
 * pipelines them on the transaction's connection.
 */
export function configWriter(tx: Tx): Pick<JobTx, "applyConfigFile" | "removeConfigFile"> {
  return {
    async applyConfigFile({ botId, filePath, etag, entries, diagnostics }): Promise<ConfigApplySummary> {
      const [existing, state] = await Promise.all([
        tx<{ key: string; value: string; type: string }[]>`
          select config_key as key, config_value as value, config_type as type from bot_configuration where bot_id = ${botId}`,
        tx<{ owned_keys: string[] }[]>`select owned_keys from botsync_config_state where bot_id = ${botId}`,
      ]);
      const plan = planConfigApply(entries, existing, state[0]?.owned_keys ?? []);
      const writes: Promise<unknown>[] = [];
      if (plan.inserts.length > 0) {
        writes.push(tx`
          insert into bot_configuration (id, bot_id, config_key, config_value, config_type, is_encrypted)
          select gen_random_uuid(), ${botId}, k, v, t, false
          from unnest(${plan.inserts.map((e) => e.key)}::text[], ${plan.inserts.map((e) => e.value)}::text[],
                      ${plan.inserts.map((e) => e.type)}::text[]) as c(k, v, t)`);
      }
      if (plan.updates.length > 0) {
        writes.push(tx`
          update bot_configuration b set config_value = c.v, config_type = c.t, updated_at = now()
          from unnest(${plan.updates.map((e) => e.key)}::text[], ${plan.updates.map((e) => e.value)}::text[],
                      ${plan.updates.map((e) => e.type)}::text[]) as c(k, v, t)
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
          values (${botId}, ${filePath}, ${etag}, ${plan.ownedKeys}::text[], ${tx.json(diagnostics as never)}, now())
          on conflict (bot_id) do update set file_path = excluded.file_path, etag = excluded.etag,
            owned_keys = excluded.owned_keys, diagnostics = excluded.diagnostics, applied_at = now()`,
      );
      await Promise.all(writes);
      return { inserted: plan.inserts.length, updated: plan.updates.length, unchanged: plan.unchanged.length, deleted: plan.deletes.length };
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
