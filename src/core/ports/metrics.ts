import type { RecordOutcome } from "../ingest/ingest-notification.js";
import type { JobRunOutcome } from "../jobs/run-object-job.js";
import type { ObjectKind } from "../paths/classify-object.js";

/**
 * What the service counts as it works, for a monitoring stack. Recording must be cheap: it runs on the
 * webhook's hot path. Gauges (objects by state, KB size, dependency health) are read when scraped.
 */
export interface Metrics {
  notification(outcome: RecordOutcome): void;
  /** `latencyMs`: from the notification (or reconcile) that queued the object to the commit, when committed */
  jobRun(kind: ObjectKind, outcome: JobRunOutcome, latencyMs: number | null): void;
  reconcile(durationMs: number, differences: number): void;
}

/** Where nothing scrapes (a Worker isolate's counters would restart with every isolate). */
export const noMetrics: Metrics = {
  notification: () => {},
  jobRun: () => {},
  reconcile: () => {},
};
