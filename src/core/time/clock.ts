/**
 * Time, as code that waits or expires things sees it. Passed in (never read from globals) so a test can
 * move time forward instead of sleeping for a cache, a backoff or a lock to expire.
 */
export interface Clock {
  /** milliseconds since the epoch */
  now(): number;
  /** resolves after `ms` of this clock's time, or as soon as `signal` aborts (then nothing is left waiting) */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** calls `fn` every `ms` of this clock's time until the returned function is called */
  every(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
    }),
  every: (ms, fn) => {
    const timer = setInterval(fn, ms);
    return () => clearInterval(timer);
  },
};
