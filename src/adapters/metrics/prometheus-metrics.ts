import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { RecordOutcome } from "../../core/ports/ingest-store.js";
import type { JobRunOutcome } from "../../core/ports/job-store.js";
import type { Metrics } from "../../core/ports/metrics.js";

/** What the gauges read at scrape time. */
export interface MetricsSources {
  /** drive_files counts by kind (file type) and sync status */
  objects(): Promise<Array<{ kind: string; status: string; count: number }>>;
  kb(): Promise<{ documents: number; chunks: number }>;
  /** each dependency's health check: database, drive, secrets */
  health(): Promise<Record<string, boolean>>;
}

/** Prometheus metrics with prom-client, in their own registry (with Node's process metrics). */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly notifications: Counter<"outcome">;
  private readonly jobRuns: Counter<"kind" | "outcome">;
  private readonly jobLatency: Histogram<"kind">;
  private readonly reconcileDuration: Histogram;
  private readonly reconcileDifferences: Counter;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "botsync_" });
    this.notifications = new Counter({ name: "botsync_notifications_total", help: "Bucket notifications received, by what ingest decided", labelNames: ["outcome"], registers });
    this.jobRuns = new Counter({ name: "botsync_job_runs_total", help: "Object job runs, by object kind and outcome", labelNames: ["kind", "outcome"], registers });
    this.jobLatency = new Histogram({
      name: "botsync_job_latency_seconds",
      help: "From the notification (or reconcile) that queued an object to its committed job",
      labelNames: ["kind"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.reconcileDuration = new Histogram({
      name: "botsync_reconcile_duration_seconds",
      help: "Reconcile ticks that ran (not those skipped because another process held the lock)",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.reconcileDifferences = new Counter({ name: "botsync_reconcile_differences_total", help: "Objects reconcile found changed, new or deleted", registers });
    new Gauge({
      name: "botsync_objects",
      help: "Tracked objects by kind and sync status",
      labelNames: ["kind", "status"],
      registers,
      async collect() {
        this.reset();
        for (const row of await sources.objects()) this.set({ kind: row.kind, status: row.status }, row.count);
      },
    });
    new Gauge({
      name: "botsync_kb_documents",
      help: "Indexed knowledge-base documents",
      registers,
      async collect() {
        this.set((await sources.kb()).documents);
      },
    });
    new Gauge({
      name: "botsync_kb_chunks",
      help: "Indexed knowledge-base chunks",
      registers,
      async collect() {
        this.set((await sources.kb()).chunks);
      },
    });
    new Gauge({
      name: "botsync_dependency_up",
      help: "1 when the dependency's health check passes (database, drive, secrets)",
      labelNames: ["dependency"],
      registers,
      async collect() {
        for (const [dependency, up] of Object.entries(await sources.health())) this.set({ dependency }, up ? 1 : 0);
      },
    });
  }

  notification(outcome: RecordOutcome): void {
    this.notifications.inc({ outcome });
  }

  jobRun(kind: string, outcome: JobRunOutcome, latencyMs: number | null): void {
    this.jobRuns.inc({ kind, outcome });
    if (latencyMs !== null) this.jobLatency.observe({ kind }, latencyMs / 1000);
  }

  reconcile(durationMs: number, differences: number): void {
    this.reconcileDuration.observe(durationMs / 1000);
    this.reconcileDifferences.inc(differences);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
