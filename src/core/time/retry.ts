/**
 * The one retry policy: exponential backoff (a first wait that doubles after each failure, up to a cap),
 * and the loop that tries again after those waits on a Clock — so a test moves time instead of sleeping
 * through a backoff.
 */
import type { Clock } from "./clock.js";

export interface Backoff {
  /** the wait after the first failure */
  readonly firstMs: number;
  /** the longest wait */
  readonly maxMs: number;
}

/** The wait after the `failures`-th failure in a row (1 → firstMs, 2 → twice that, … capped at maxMs). */
export function backoffDelayMs(policy: Backoff, failures: number): number {
  return Math.min(policy.firstMs * 2 ** Math.max(0, failures - 1), policy.maxMs);
}

/** The waits before each of `retries` further attempts. */
export function backoffDelays(policy: Backoff, retries: number): number[] {
  return Array.from({ length: retries }, (_, i) => backoffDelayMs(policy, i + 1));
}

export interface RetryOptions {
  /** the wait before each further attempt; its length is how many retries there are */
  delays: readonly number[];
  clock: Pick<Clock, "sleep">;
  /** whether a failure is worth another attempt (default: every failure is) */
  retryable?(error: unknown): boolean;
  /** told before each wait: the failure, the attempt that failed (1-based) and the wait */
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
}

/** Runs `attempt` until it succeeds; throws the last failure once the delays are used up or one is not retryable. */
export async function retrying<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const delay = options.delays[n];
      if (delay === undefined || (options.retryable && !options.retryable(error))) throw error;
      options.onRetry?.(error, n + 1, delay);
      await options.clock.sleep(delay);
    }
  }
}
