/**
 * Retries `check` until it stops throwing: for what a test cannot await directly (a job another process or
 * a notification runs). The one polling loop of the test suite; it never waits on time passing, only on
 * work finishing, and it fails with the check's last error.
 */
export async function eventually<T>(check: () => T | Promise<T>, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
}
