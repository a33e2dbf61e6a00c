/**
 * Leasing, completing and failing object jobs. Implemented by the Postgres adapter
 * (src/adapters/db/job-store.ts). `Tx` is the adapter's transaction: the kinds' stores are bound to it, so a
 * job's writes and its completion commit together; core never looks inside it.
 */
import type { ClaimedJob, Lane, ObjectDiagnostic } from "../jobs/job-types.js";

export type JobResult =
  | { removed: true }
  | { removed: false; etag: string; size: number; lastModified?: Date; diagnostics: ObjectDiagnostic[] };

/** What one job run ended in. */
export type JobRunOutcome = "applied" | "removed" | "unchanged" | "superseded" | "retry" | "failed" | "lease-lost";

export interface JobFailure {
  permanent: boolean;
  error: string;
  etag?: string;
  retryInMs: number;
  diagnostics?: ObjectDiagnostic[];
}

export interface JobStore<Tx> {
  /** Leases up to `limit` due objects of a lane to `owner` (no object to two workers at once). */
  claim(owner: string, lane: Lane, limit: number, leaseMs: number): Promise<ClaimedJob[]>;
  /** Extends the leases `owner` still holds on these objects to now + leaseMs; returns the ids it holds. */
  renew(ids: string[], owner: string, leaseMs: number): Promise<string[]>;
  /**
   * In one transaction: re-checks the lease (JOB_LEASE_LOST if gone), runs `work`, and records the result it
   * returns.
   * "superseded" = the object changed (or a re-run was asked for) while the job ran: the work is recorded as
   * processed but the row stays pending so the newer version gets its own run.
   */
  complete(job: ClaimedJob, owner: string, work: (tx: Tx) => Promise<JobResult>): Promise<"done" | "superseded">;
  fail(job: ClaimedJob, owner: string, failure: JobFailure): Promise<void>;
}
