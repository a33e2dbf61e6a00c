/**
 * Retries `check` until it stops throwing: for what a test cannot await directly (a job another process or
 * a notification runs, code under test reaching its next wait). The one polling loop of the test suite; it
 * never waits on time passing, only on work finishing, and it fails with the check's last error. It looks
 * again soon at first (most waits are for a few turns of the event loop), then every `intervalMs`.
 */
export async function eventually<T>(check: () => T | Promise<T>, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const interval = options.intervalMs ?? 20;
  for (let tries = 0; ; tries++) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(interval, 2 ** tries - 1)));
  }
}
