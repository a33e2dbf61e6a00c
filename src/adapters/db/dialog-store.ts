import type { Tx } from "./connect.js";
import type { DialogStore } from "../../core/dialogs/dialog-store.js";

/** `system_automations.kind` for a SET SCHEDULE (the botserver's TriggerKind::Scheduled). */
const SCHEDULED = 0;

/**
 * The dialog slice's store: a compiled dialog's rows, inside the job's transaction: `basic_tools` with both tool definitions (the
 * botserver never fills them), and the script's `system_automations` schedules replaced by what the script
 * says now (the botserver deletes them on every compile and never adds them back).
 */
export function pgDialogStore(tx: Tx): DialogStore {
  return {
    async toolNameOwner({ botId, toolName }) {
      const [row] = await tx<{ file_path: string }[]>`
        select file_path from basic_tools where bot_id = ${botId} and tool_name = ${toolName} and is_active for update`;
      return row?.file_path ?? null;
    },

    async applyDialog({ botId, filePath, toolName, astPath, mcp, tool, schedules }) {
      const crons = schedules.map((s) => s.cron);
      await Promise.all([
        tx`
          insert into basic_tools (bot_id, tool_name, file_path, ast_path, mcp_json, tool_json, compiled_at, is_active, updated_at)
          values (${botId}, ${toolName}, ${filePath}, ${astPath}, ${tx.json(mcp as never)}, ${tx.json(tool as never)}, now(), true, now())
          on conflict (bot_id, tool_name) do update set file_path = excluded.file_path, ast_path = excluded.ast_path,
            mcp_json = excluded.mcp_json, tool_json = excluded.tool_json, compiled_at = now(), is_active = true, updated_at = now()`,
        tx`
          delete from system_automations
          where bot_id = ${botId} and kind = ${SCHEDULED} and param = ${toolName} and not (trim(schedule) = any(${crons}::text[]))`,
      ]);
      if (crons.length > 0) {
        await tx`
          insert into system_automations (bot_id, kind, schedule, param, is_active)
          select ${botId}, ${SCHEDULED}, c, ${toolName}, true from unnest(${crons}::text[]) as c
          where not exists (select 1 from system_automations s
                            where s.bot_id = ${botId} and s.kind = ${SCHEDULED} and s.param = ${toolName} and trim(s.schedule) = c)`;
      }
    },

    async removeDialog({ botId, filePath, toolName }) {
      await Promise.all([
        tx`update basic_tools set is_active = false, updated_at = now() where bot_id = ${botId} and tool_name = ${toolName} and file_path = ${filePath}`,
        tx`delete from system_automations where bot_id = ${botId} and kind = ${SCHEDULED} and param = ${toolName}`,
      ]);
    },
  };
}
