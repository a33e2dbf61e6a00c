/**
 * The botserver's tables for compiled dialogs (docs/botserver-compatibility.md, "Tables botsync shares"),
 * created only when missing. Of `system_automations` only the columns the botserver's compiler writes are
 * known (bot_id, kind, schedule bpchar(20), param varchar(32), is_active); the rest follows the botserver's
 * usual shape and is only used when botsync creates the table itself.
 */
export const dialogTables = /* sql */ `
CREATE TABLE IF NOT EXISTS basic_tools (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bot_id uuid NOT NULL,
  tool_name text NOT NULL,
  file_path text NOT NULL,
  ast_path text NOT NULL,
  mcp_json jsonb,
  tool_json jsonb,
  compiled_at timestamptz NOT NULL DEFAULT now(),
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (bot_id, tool_name)
);

CREATE TABLE IF NOT EXISTS system_automations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bot_id uuid NOT NULL,
  kind integer NOT NULL DEFAULT 0,
  target varchar(32),
  schedule bpchar(20),
  param varchar(32) NOT NULL DEFAULT '',
  is_active boolean NOT NULL DEFAULT true,
  last_triggered timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_system_automations_bot ON system_automations(bot_id, kind, param);
`;
