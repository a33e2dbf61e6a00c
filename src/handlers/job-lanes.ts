import { errorText } from "../core/errors.js";
import type { ClaimedJob, Lane } from "../core/jobs/job-types.js";
import type { JobSlot, JobSlots } from "../core/ports/job-slots.js";
import { runObjectJob, type JobDeps } from "../core/jobs/run-object-job.js";
import type { JobRunOutcome } from "../core/ports/job-store.js";
import { noMetrics, type Metrics } from "../core/ports/metrics.js";
import { systemClock, type Clock } from "../core/time/clock.js";

export interface LaneConfig {
  /** objects processed at once */
  concurrency: number;
  /**
   * A claim expires after this long unless renewed. Running jobs are renewed every leaseMs / 4, so a job may
   * take as long as it needs, while the objects of a process that died (kill -9, OOM, a lost node) are
   * picked up by another worker within leaseMs of its last heartbeat.
   */
  leaseMs: number;
}

export const DEFAULT_LANES: Record<Lane, LaneConfig> = {
  fast: { concurrency: 4, leaseMs: 20_000 },
  kb: { concurrency: 1, leaseMs: 20_000 },
};

/** How often an idle lane looks for work that other processes queued or whose retry came due. */
const IDLE_POLL_MS = 1_000;

/**
 * The job workers. Each lane claims due objects and runs them; the fast lane (config, dialogs) and the kb
 * lane never wait for each other. On Node the lanes loop (`start`), and a webhook that queued an object
 * while its lane had room runs the job at once through a slot (`take`); a lane's loop and its slots share
 * the lane's concurrency. In a Worker invocation `drain` runs what is due and returns.
 */
export class JobLanes<Tx> implements JobSlots {
  private running = false;
  private readonly loops: Promise<void>[] = [];
  private readonly wake = new Map<Lane, () => void>();
  private readonly kicked = new Set<Lane>();
  /** the jobs this process is running now, whose leases the heartbeat renews */
  private readonly inFlight = new Map<string, Lane>();
  private stopHeartbeat: (() => void) | null = null;
  /** slots taken and not yet running or given back, per lane */
  private readonly reserved = new Map<Lane, number>();
  /** lanes whose loop found no room: a job that ends wakes them */
  private readonly starved = new Set<Lane>();
  /** the jobs started through slots, which stop() waits for */
  private readonly started = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: JobDeps<Tx>,
    private readonly config: Record<Lane, LaneConfig> = DEFAULT_LANES,
    private readonly clock: Clock = systemClock,
    private readonly metrics: Metrics = noMetrics,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const lane of Object.keys(this.config) as Lane[]) this.loops.push(this.loop(lane));
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const wake of this.wake.values()) wake();
    await Promise.all(this.loops.splice(0));
    await Promise.all(this.started);
  }

  take(lane: Lane): JobSlot | null {
    if (!this.running || this.busy(lane) >= this.config[lane].concurrency) return null;
    this.reserved.set(lane, (this.reserved.get(lane) ?? 0) + 1);
    let held = true;
    /** ends the reservation once; says whether this call ended it */
    const unreserve = (): boolean => {
      if (!held) return false;
      held = false;
      this.reserved.set(lane, this.reserved.get(lane)! - 1);
      return true;
    };
    return {
      owner: this.deps.owner,
      leaseMs: this.config[lane].leaseMs,
      release: () => {
        if (unreserve()) this.wakeIfStarved(lane);
      },
      run: (job) => {
        // tracked before the reservation ends, so the lane never looks freer than it is
        this.track(job.id, lane);
        unreserve();
        const running = this.runTracked(job, lane).catch((error) => this.deps.log.error("job failed unexpectedly", { error: errorText(error) }));
        this.started.add(running);
        void running.finally(() => this.started.delete(running));
      },
    };
  }

  /** jobs running in the lane, by its loop or through slots, and slots not yet used */
  private busy(lane: Lane): number {
    let running = 0;
    for (const l of this.inFlight.values()) if (l === lane) running++;
    return running + (this.reserved.get(lane) ?? 0);
  }

  private wakeIfStarved(lane: Lane): void {
    if (!this.starved.delete(lane)) return;
    this.kicked.add(lane);
    this.wake.get(lane)?.();
  }

  /** Something was queued: look now instead of at the next poll. */
  kick(): void {
    for (const lane of Object.keys(this.config) as Lane[]) {
      this.kicked.add(lane);
      this.wake.get(lane)?.();
    }
  }

  /** Runs due jobs of every lane until none is left or the deadline passes (Workers: one invocation). */
  async drain(deadline: number): Promise<JobRunOutcome[]> {
    const lanes = await Promise.all(
      (Object.keys(this.config) as Lane[]).map(async (lane) => {
        const outcomes: JobRunOutcome[] = [];
        while (Date.now() < deadline) {
          const batch = await this.runBatch(lane);
          if (batch.length === 0) break;
          outcomes.push(...batch);
        }
        return outcomes;
      }),
    );
    return lanes.flat();
  }

  private async runBatch(lane: Lane): Promise<JobRunOutcome[]> {
    const { concurrency, leaseMs } = this.config[lane];
    const room = concurrency - this.busy(lane);
    if (room <= 0) {
      this.starved.add(lane);
      return [];
    }
    const claimed = await this.deps.jobs.claim(this.deps.owner, lane, room, leaseMs);
    return Promise.all(
      claimed.map((job) => {
        this.track(job.id, lane);
        return this.runTracked(job, lane);
      }),
    );
  }

  /** Runs a job already tracked (its lease renewed by the heartbeat) and untracks it when it ends. */
  private async runTracked(job: ClaimedJob, lane: Lane): Promise<JobRunOutcome> {
    try {
      const outcome = await runObjectJob(job, this.deps);
      const committed = outcome === "applied" || outcome === "removed" || outcome === "unchanged";
      this.metrics.jobRun(job.kind, outcome, committed && job.queuedAt !== null ? this.clock.now() - job.queuedAt : null);
      return outcome;
    } finally {
      this.untrack(job.id, lane);
    }
  }

  private track(id: string, lane: Lane): void {
    this.inFlight.set(id, lane);
    const every = Math.min(...Object.values(this.config).map((c) => c.leaseMs)) / 4;
    this.stopHeartbeat ??= this.clock.every(every, () => void this.renewLeases());
  }

  private untrack(id: string, lane: Lane): void {
    this.inFlight.delete(id);
    this.wakeIfStarved(lane);
    if (this.inFlight.size === 0 && this.stopHeartbeat) {
      this.stopHeartbeat();
      this.stopHeartbeat = null;
    }
  }

  /**
   * One statement per lane renews every lease this process holds; a lease found lost is only logged — the
   * job's completion is fenced by the lease and fails on its own.
   */
  private async renewLeases(): Promise<void> {
    for (const lane of Object.keys(this.config) as Lane[]) {
      const ids = [...this.inFlight].filter(([, l]) => l === lane).map(([id]) => id);
      if (ids.length === 0) continue;
      try {
        const held = new Set(await this.deps.jobs.renew(ids, this.deps.owner, this.config[lane].leaseMs));
        const lost = ids.filter((id) => !held.has(id));
        if (lost.length > 0) this.deps.log.warn("job leases lost; another worker may run these objects now", { lane, objects: lost.length });
      } catch (error) {
        this.deps.log.warn("could not renew job leases", { lane, error: errorText(error) });
      }
    }
  }

  private async loop(lane: Lane): Promise<void> {
    while (this.running) {
      this.kicked.delete(lane);
      let ran = 0;
      try {
        ran = (await this.runBatch(lane)).length;
      } catch (error) {
        this.deps.log.warn("job lane could not claim work", { lane, error: errorText(error) });
      }
      if (ran === 0 && this.running && !this.kicked.has(lane)) await this.sleep(lane, IDLE_POLL_MS);
    }
  }

  private sleep(lane: Lane, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake.set(lane, done);
    });
  }
}
