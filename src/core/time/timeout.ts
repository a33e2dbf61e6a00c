import type { Clock } from "./clock.js";

/**
 * `work`'s answer, or the error `expired` makes once `ms` of the clock passed without one. The wait ends
 * with the work, so nothing stays scheduled after an answer.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, clock: Pick<Clock, "sleep">, expired: () => Error): Promise<T> {
  const answered = new AbortController();
  const timeout = clock.sleep(ms, answered.signal).then(() => {
    if (!answered.signal.aborted) throw expired();
  });
  try {
    return await Promise.race([work, timeout as Promise<never>]);
  } finally {
    answered.abort();
  }
}
