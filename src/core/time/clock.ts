/**
 * Time, as code that waits or expires things sees it. Passed in (never read from globals) so a test can
 * move time forward instead of sleeping for a cache, a backoff or a lock to expire.
 */
export interface Clock {
  /** milliseconds since the epoch */
  now(): number;
  /** resolves after `ms` of this clock's time */
  sleep(ms: number): Promise<void>;
  /** calls `fn` every `ms` of this clock's time until the returned function is called */
  every(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  every: (ms, fn) => {
    const timer = setInterval(fn, ms);
    return () => clearInterval(timer);
  },
};
