import { BotsyncError } from "../../core/errors.js";
import { splitFilePath, type ClaimedJob, type Lane } from "../../core/jobs/job-types.js";
import type { JobFailure, JobResult, JobStore } from "../../core/ports/job-store.js";
import { db, transactionEndingWith, type Sql, type Tx } from "./connect.js";

/** The columns a claimed job is built from (`claimedJob`), as the claim and the webhook's lease return them. */
export interface ClaimRow {
  id: string;
  bot_id: string;
  file_path: string;
  file_type: string;
  etag: string | null;
  present: boolean;
  processed_etag: string | null;
  reprocess: boolean;
  queued_at: Date | null;
  attempts: number;
  revision: string;
}

export class PgJobStore implements JobStore<Tx> {
  /** `kindOfFileType`: the kind of a row's drive_files.file_type (the kind registry's byFileType) */
  constructor(
    private readonly sql: Sql,
    private readonly kindOfFileType: (fileType: string) => string | undefined,
  ) {}

  claim(owner: string, lane: Lane, limit: number, leaseMs: number): Promise<ClaimedJob[]> {
    return db(async () => {
      const rows = await this.sql<ClaimRow[]>`
        with due as (
          select id from drive_files
          where lane = ${lane} and sync_status in ('pending', 'retry') and next_attempt_at <= now()
            and (lease_until is null or lease_until < now())
          order by next_attempt_at
          limit ${limit}
          for update skip locked
        )
        update drive_files f set lease_owner = ${owner}, lease_until = now() + ${leaseMs} * interval '1 millisecond'
        from due where f.id = due.id
        returning f.id, f.bot_id, f.file_path, f.file_type, f.etag, f.present, f.processed_etag, f.reprocess, f.queued_at, f.attempts, f.revision::text as revision`;
      return rows.map((row) => claimedJob(row, this.kindOfFileType(row.file_type) ?? `unknown file type ${row.file_type}`));
    });
  }

  /** An expired lease nobody took over is still ours (a claim takes lease_owner), so it is renewed too. */
  renew(ids: string[], owner: string, leaseMs: number): Promise<string[]> {
    return db(async () => {
      // A row locked by its own completion is skipped, not waited for: its lease was checked under that lock.
      const rows = await this.sql<{ id: string }[]>`
        with mine as (
          select id from drive_files where id = any(${ids}::uuid[]) and lease_owner = ${owner} for update skip locked
        ), renewed as (
          update drive_files f set lease_until = now() + ${leaseMs} * interval '1 millisecond' from mine where f.id = mine.id
        )
        select id from drive_files where id = any(${ids}::uuid[]) and lease_owner = ${owner}`;
      return rows.map((r) => r.id);
    });
  }

  /**
   * Four round trips for a config.csv instead of six: BEGIN goes out with the lease check, and the row's
   * update with COMMIT. The work starts only once the lease is known to be held and its row locked: some
   * work writes outside the database (a dialog's artifacts), which a job that lost its lease must not do.
   */
  complete(job: ClaimedJob, owner: string, work: (tx: Tx) => Promise<JobResult>): Promise<"done" | "superseded"> {
    return db(async () => {
      return transactionEndingWith(this.sql, async (tx) => {
        const [row] = await tx<{ revision: string; lease_owner: string | null }[]>`
          select revision::text as revision, lease_owner from drive_files where id = ${job.id} for update`;
        if (!row || row.lease_owner !== owner) {
          throw new BotsyncError("JOB_LEASE_LOST", `lease on ${job.filePath} is no longer held by this worker`);
        }
        const result = await work(tx);
        const unchanged = row.revision === job.revision;
        const outcome = unchanged ? ("done" as const) : ("superseded" as const);
        if (result.removed) {
          const last = unchanged
            ? tx`delete from drive_files where id = ${job.id}`
            : tx`update drive_files set processed_etag = null, lease_owner = null, lease_until = null where id = ${job.id}`;
          return { result: outcome, last: last.execute() };
        }
        if (unchanged) {
          const last = tx`
            update drive_files set etag = ${result.etag}, processed_etag = ${result.etag}, processed_at = now(),
              file_size = ${result.size}, last_modified = ${result.lastModified ?? null}, present = true,
              sync_status = 'synced', indexed = true, reprocess = false, fail_count = 0, attempts = 0, last_failed_at = null, last_error = null,
              next_attempt_at = null, lease_owner = null, lease_until = null, diagnostics = ${tx.json(result.diagnostics as never)},
              updated_at = now()
            where id = ${job.id}`;
          return { result: outcome, last: last.execute() };
        }
        // The object changed (or a re-run was asked for) while we worked: what we applied is recorded, and the
        // row stays pending with its reprocess flag as the request left it.
        const last = tx`
          update drive_files set processed_etag = ${result.etag}, processed_at = now(),
            diagnostics = ${tx.json(result.diagnostics as never)}, lease_owner = null, lease_until = null
          where id = ${job.id}`;
        return { result: outcome, last: last.execute() };
      });
    });
  }

  fail(
    job: ClaimedJob,
    owner: string,
    failure: JobFailure,
  ): Promise<void> {
    return db(async () => {
      // A change that arrived during the job gets a fresh try; otherwise permanent → failed, transient → retry.
      await this.sql`
        update drive_files set
          sync_status = case when revision <> ${job.revision}::bigint then 'pending'
                             when ${failure.permanent} then 'failed' else 'retry' end,
          next_attempt_at = case when revision <> ${job.revision}::bigint then now()
                                 when ${failure.permanent} then null
                                 else now() + ${failure.retryInMs} * interval '1 millisecond' end,
          etag = case when revision = ${job.revision}::bigint and ${failure.etag ?? null}::text is not null
                      then ${failure.etag ?? null} else etag end,
          attempts = attempts + 1, fail_count = fail_count + 1, last_failed_at = now(), last_error = ${failure.error},
          diagnostics = coalesce(${failure.diagnostics ? this.sql.json(failure.diagnostics as never) : null}::jsonb, diagnostics),
          indexed = false, lease_owner = null, lease_until = null, updated_at = now()
        where id = ${job.id} and lease_owner = ${owner}`;
    });
  }

}

export function claimedJob(row: ClaimRow, kind: string): ClaimedJob {
  const { bucket, key } = splitFilePath(row.file_path);
  return {
    id: row.id,
    botId: row.bot_id,
    bot: bucket.slice(0, -".gbai".length),
    bucket,
    key,
    filePath: row.file_path,
    kind,
    etag: row.etag,
    present: row.present,
    processedEtag: row.processed_etag,
    reprocess: row.reprocess,
    queuedAt: row.queued_at?.getTime() ?? null,
    attempts: row.attempts,
    revision: row.revision,
  };
}
