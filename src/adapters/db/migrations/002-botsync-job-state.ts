/**
 * botsync's additions. Columns are added to drive_files (never changed), and botsync's own tables carry the
 * `botsync_` prefix so they cannot collide with the botserver's.
 *
 * drive_files job state, per object:
 *   present         the object is believed to exist (false = a removal is pending)
 *   etag            the newest ETag we know of (botserver column; NULL when a notification carried none)
 *   processed_etag  the ETag of the bytes the last successful job actually read
 *   sync_status     pending | synced | retry (transient failure, backoff) | failed (permanent until the ETag changes)
 *   revision        bumped by every ingest/reconcile change; a job only completes if the row is still at the
 *                   revision it claimed, so a change that lands mid-job is never marked as processed
 *   lease_owner/until  the claim: two workers (any process) never hold the same object at once
 *   sequencer       MinIO's event sequencer (ModTime ns, hex, zero-padded): older events are stale
 */
export const botsyncJobState = /* sql */ `
ALTER TABLE drive_files ADD COLUMN IF NOT EXISTS present boolean NOT NULL DEFAULT true;
ALTER TABLE drive_files ADD COLUMN IF NOT EXISTS processed_etag text;
ALTER TABLE drive_files ADD COLUMN IF NOT EXISTS processed_at timestamptz;
ALTER TABLE drive_files ADD COLUMN IF NOT EXISTS sync_status text NOT NULL DEFAULT 'pending';
ALTER TABLE drive_files ADD COLUMN IF NOT EXISTS lane text NOT NULL DEFAULT 'fast';
ALTER TABLE drive_files ADD COLUMN IF NOT EXISTS revision bigint NOT NULL DEFAULT 1;
ALTER TABLE drive_files ADD COLUMN IF NOT EXISTS attempts int NOT NULL DEFAULT 0;
ALTER TABLE drive_files ADD COLUMN IF NOT EXISTS next_attempt_at timestamptz;
ALTER TABLE drive_files ADD COLUMN IF NOT EXISTS last_error text;
ALTER TABLE drive_files ADD COLUMN IF NOT EXISTS lease_owner text;
ALTER TABLE drive_files ADD COLUMN IF NOT EXISTS lease_until timestamptz;
ALTER TABLE drive_files ADD COLUMN IF NOT EXISTS sequencer text;
ALTER TABLE drive_files ADD COLUMN IF NOT EXISTS diagnostics jsonb;
CREATE INDEX IF NOT EXISTS idx_drive_files_due ON drive_files(lane, next_attempt_at)
  WHERE sync_status IN ('pending', 'retry');

CREATE TABLE IF NOT EXISTS botsync_events (
  id bigserial PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now(),
  source text NOT NULL,
  event_name text NOT NULL,
  bucket text NOT NULL,
  object_key text NOT NULL,
  etag text,
  sequencer text,
  outcome text NOT NULL,
  reason text,
  bot_id uuid,
  file_path text
);
CREATE INDEX IF NOT EXISTS idx_botsync_events_received ON botsync_events(received_at DESC);
CREATE INDEX IF NOT EXISTS idx_botsync_events_bot ON botsync_events(bot_id, received_at DESC);

CREATE TABLE IF NOT EXISTS botsync_config_state (
  bot_id uuid PRIMARY KEY,
  file_path text NOT NULL,
  etag text NOT NULL,
  owned_keys text[] NOT NULL DEFAULT '{}',
  diagnostics jsonb NOT NULL DEFAULT '[]',
  applied_at timestamptz NOT NULL DEFAULT now()
);
`;
