import type { RecordOutcome } from "./ingest-store.js";
import type { JobRunOutcome } from "./job-store.js";

/**
 * What the service counts as it works, for a monitoring stack. Recording must be cheap: it runs on the
 * webhook's hot path. Gauges (objects by state, KB size, dependency health) are read when scraped.
 */
export interface Metrics {
  notification(outcome: RecordOutcome): void;
  /** `latencyMs`: from the notification (or reconcile) that queued the object to the commit, when committed */
  /** `kind`: the object kind's name */
  jobRun(kind: string, outcome: JobRunOutcome, latencyMs: number | null): void;
  reconcile(durationMs: number, differences: number): void;
}

/** Where nothing scrapes (a Worker isolate's counters would restart with every isolate). */
export const noMetrics: Metrics = {
  notification: () => {},
  jobRun: () => {},
  reconcile: () => {},
};
