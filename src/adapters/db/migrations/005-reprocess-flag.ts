/**
 * `drive_files.reprocess`: "run this object's job again even though its ETag was processed" (a KB
 * re-index after a chunking or embedding change, or asked for through the API). It used to be expressed
 * by clearing processed_etag, which a job already running for the object wrote back when it finished —
 * the re-index was lost. A flag that only a finished, un-superseded run clears cannot be lost that way.
 *
 * `drive_files.queued_at`: when the notification, reconcile or re-index that the pending run answers queued
 * it (failures and retries leave it alone), so the job latency a monitoring stack sees is the operator's —
 * upload to committed.
 */
export const reprocessFlag = /* sql */ `
ALTER TABLE drive_files ADD COLUMN IF NOT EXISTS reprocess boolean NOT NULL DEFAULT false;
ALTER TABLE drive_files ADD COLUMN IF NOT EXISTS queued_at timestamptz;
`;
