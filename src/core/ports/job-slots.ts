/**
 * Running a freshly queued object's job in the process that queued it, at once: the lane's claim and its
 * wake-up were the visible gap between the webhook's 2xx and the commit. Implemented by the Node job lanes
 * (src/handlers/job-lanes.ts); a Worker has none and drains its queue after the response instead.
 */
import type { ClaimedJob, Lane } from "../jobs/job-types.js";

/** One place in a lane, held from before the object is queued until its job starts (or is not needed). */
export interface JobSlot {
  /** the lease to take on the object in the statement that queues it */
  readonly owner: string;
  readonly leaseMs: number;
  /** Runs the job leased with this slot; the slot is the job's until it ends. */
  run(job: ClaimedJob): void;
  /** Gives the place back unused (the object was not queued, or someone else holds its lease). */
  release(): void;
}

export interface JobSlots {
  /** A free place in the lane, or null when the lane runs as many jobs as it may: the lane's loop takes the object then. */
  take(lane: Lane): JobSlot | null;
}
