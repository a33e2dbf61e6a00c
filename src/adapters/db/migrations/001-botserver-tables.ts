/**
 * The botserver's own tables, as the botserver of May 2026 has them (docs/botserver-compatibility.md,
 * "Tables botsync shares"), created only when they do
 * not exist, so an existing botserver database is used as it is. The FK from bots.org_id to organizations is
 * left out: botsync does not own the organizations table, and an existing database keeps its own constraint.
 */
export const botserverTables = /* sql */ `
CREATE TABLE IF NOT EXISTS bots (
  id uuid DEFAULT gen_random_uuid() NOT NULL PRIMARY KEY,
  name varchar(255) NOT NULL,
  description text NULL,
  llm_provider varchar(100) NOT NULL,
  llm_config jsonb DEFAULT '{}' NOT NULL,
  context_provider varchar(100) NOT NULL,
  context_config jsonb DEFAULT '{}' NOT NULL,
  created_at timestamptz DEFAULT now() NOT NULL,
  updated_at timestamptz DEFAULT now() NOT NULL,
  is_active bool DEFAULT true NULL,
  tenant_id uuid NULL,
  database_name varchar(255) NULL,
  org_id uuid NULL,
  is_default boolean DEFAULT false,
  parent_bot_id uuid NULL REFERENCES bots(id) ON DELETE SET NULL,
  enabled_tabs_json text DEFAULT '["chat"]',
  inherit_parent_config boolean DEFAULT true,
  slug varchar(255) NULL,
  is_public boolean DEFAULT false,
  CONSTRAINT bots_slug_key UNIQUE (slug)
);

CREATE TABLE IF NOT EXISTS bot_configuration (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bot_id uuid NOT NULL,
  config_key text NOT NULL,
  config_value text NOT NULL,
  config_type text NOT NULL DEFAULT 'string',
  is_encrypted boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (bot_id, config_key)
);
CREATE INDEX IF NOT EXISTS idx_bot_config_bot ON bot_configuration(bot_id);
CREATE INDEX IF NOT EXISTS idx_bot_config_key ON bot_configuration(config_key);

CREATE TABLE IF NOT EXISTS gbot_config_sync (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bot_id uuid NOT NULL UNIQUE,
  config_file_path text NOT NULL,
  last_sync_at timestamptz NOT NULL DEFAULT now(),
  file_hash text NOT NULL,
  sync_count integer NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS idx_gbot_sync_bot ON gbot_config_sync(bot_id);

CREATE TABLE IF NOT EXISTS drive_files (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bot_id uuid NOT NULL REFERENCES bots(id) ON DELETE CASCADE,
  file_path text NOT NULL,
  file_type varchar(20) NOT NULL,
  etag text,
  last_modified timestamptz,
  file_size bigint,
  indexed boolean NOT NULL DEFAULT false,
  fail_count int NOT NULL DEFAULT 0,
  last_failed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (bot_id, file_path)
);
CREATE INDEX IF NOT EXISTS idx_drive_files_bot ON drive_files(bot_id);
CREATE INDEX IF NOT EXISTS idx_drive_files_type ON drive_files(bot_id, file_type);
CREATE INDEX IF NOT EXISTS idx_drive_files_indexed ON drive_files(bot_id, indexed) WHERE NOT indexed;
CREATE INDEX IF NOT EXISTS idx_drive_files_fail ON drive_files(bot_id, fail_count) WHERE fail_count > 0;
`;
