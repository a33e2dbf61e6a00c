/**
 * drive_files.completed_at: when the object's last job committed, on the database's clock, taken by the
 * completing statement itself (not the transaction's start). The webhook compares it with the moment it
 * started reading the object early: a read that began after the last completion can only be as new as what
 * that job applied, so it may be applied in turn (ingest-notification.ts).
 */
export const completedAt = /* sql */ `
ALTER TABLE drive_files ADD COLUMN IF NOT EXISTS completed_at timestamptz;
`;
