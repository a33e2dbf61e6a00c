import { BotsyncError } from "../../core/errors.js";
import type { ValueCipher } from "../../core/ports/value-cipher.js";
import { db, transaction, type Sql } from "./connect.js";

export interface RotationReport {
  rotated: number;
  /** already sealed under the new key (a rotation that was interrupted and run again) */
  alreadyCurrent: number;
}

/**
 * Re-seals every encrypted bot_configuration value from the old master key to the new one, in one
 * transaction: if any value opens under neither key, nothing is changed and the error lists them (bot and
 * key names only — never values).
 */
export function rotateMasterKey(sql: Sql, from: ValueCipher, to: ValueCipher): Promise<RotationReport> {
  return db(() =>
    transaction(sql, async (tx) => {
      const rows = await tx<{ id: string; bot_id: string; bot: string | null; config_key: string; config_value: string }[]>`
        select c.id, c.bot_id, b.name as bot, c.config_key, c.config_value
        from bot_configuration c left join bots b on b.id = c.bot_id
        where c.is_encrypted order by c.bot_id, c.config_key for update of c`;
      const report: RotationReport = { rotated: 0, alreadyCurrent: 0 };
      const unreadable: string[] = [];
      const updates: Array<{ id: string; value: string }> = [];
      for (const row of rows) {
        try {
          const plain = await from.decrypt(row.bot_id, row.config_value);
          updates.push({ id: row.id, value: await to.encrypt(row.bot_id, plain) });
          report.rotated++;
        } catch {
          try {
            await to.decrypt(row.bot_id, row.config_value);
            report.alreadyCurrent++;
          } catch {
            unreadable.push(`${row.bot ?? row.bot_id}/${row.config_key}`);
          }
        }
      }
      if (unreadable.length > 0) {
        throw new BotsyncError(
          "CONFIG_DECRYPT_FAILED",
          `nothing rotated: ${unreadable.length} value(s) open under neither the old nor the new master key: ${unreadable.join(", ")}`,
        );
      }
      if (updates.length > 0) {
        await tx`
          update bot_configuration c set config_value = u.v, updated_at = now()
          from unnest(${updates.map((u) => u.id)}::uuid[], ${updates.map((u) => u.value)}::text[]) as u(id, v)
          where c.id = u.id`;
      }
      return report;
    }),
  );
}
