/**
 * drive_files.sequencer_source: whose clock drive_files.sequencer is — the notification's eventSource plus,
 * where the body names it, the MinIO deployment or the radosgw process. A sequencer is only compared with
 * one of the same source; rows written before this column have none, so their sequencer is never used to
 * call a later event stale.
 */
export const sequencerSource = /* sql */ `
ALTER TABLE drive_files ADD COLUMN IF NOT EXISTS sequencer_source text;
`;
