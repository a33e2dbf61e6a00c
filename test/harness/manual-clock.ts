import type { Clock } from "../../src/core/time/clock.js";

/** A clock that moves only when the test says so; sleepers wake when time passes their deadline. */
export class ManualClock implements Clock {
  private sleepers: Array<{ until: number; wake: () => void }> = [];
  private readonly repeaters = new Set<{ ms: number; next: number; fn: () => void }>();

  constructor(private time = Date.parse("2026-01-01T00:00:00Z")) {}

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((wake) => {
      if (signal?.aborted) return wake();
      const sleeper = { until: this.time + ms, wake };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        "abort",
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          wake();
        },
        { once: true },
      );
    });
  }

  every(ms: number, fn: () => void): () => void {
    const repeater = { ms, next: this.time + ms, fn };
    this.repeaters.add(repeater);
    return () => this.repeaters.delete(repeater);
  }

  /** Moves time forward, runs every repeater that came due, and wakes every sleeper whose deadline came. */
  advance(ms: number): void {
    this.time += ms;
    for (const r of this.repeaters) {
      while (r.next <= this.time && this.repeaters.has(r)) {
        r.next += r.ms;
        r.fn();
      }
    }
    const due = this.sleepers.filter((s) => s.until <= this.time);
    this.sleepers = this.sleepers.filter((s) => s.until > this.time);
    for (const s of due) s.wake();
  }

  /**
   * Moves time to each sleeper's deadline in turn until `work` settles: for work that waits on this clock
   * somewhere inside (a backoff between retries) while it also waits on real I/O.
   */
  async runUntil<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    work.then(
      () => (settled = true),
      () => (settled = true),
    );
    while (!settled) {
      if (this.sleepers.length > 0) this.advance(Math.min(...this.sleepers.map((s) => s.until)) - this.time);
      // let the work run to its next wait, or to its end
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return work;
  }

  /** how many are waiting (a test can wait until the code under test went to sleep) */
  get waiting(): number {
    return this.sleepers.length;
  }
}
