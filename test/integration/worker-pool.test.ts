import { afterEach, describe, expect, it } from "vitest";
import { WorkerPool } from "../../src/adapters/threads/worker-pool.js";

type Request = { op: "echo"; text: string } | { op: "spin"; ms: number } | { op: "fail" } | { op: "crash" };

let pool: WorkerPool<Request, string>;
function start(options: { size?: number; maxQueue?: number; timeoutMs?: number } = {}) {
  pool = new WorkerPool<Request, string>({
    script: new URL("../harness/threads/test-thread.mjs", import.meta.url),
    name: "test work",
    size: options.size ?? 1,
    maxQueue: options.maxQueue ?? 4,
    timeoutMs: options.timeoutMs ?? 10_000,
    timeoutCode: "SERVICE_BUSY",
    failureCode: "INTERNAL",
  });
  return pool;
}
afterEach(async () => {
  await pool?.close();
});

describe("WorkerPool", () => {
  it("runs requests in a thread and passes coded errors back, keeping the thread", async () => {
    start();
    expect(await pool.run({ op: "echo", text: "hello" })).toBe("hello");
    await expect(pool.run({ op: "fail" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "asked to fail" });
    expect(await pool.run({ op: "echo", text: "still here" })).toBe("still here");
  });

  it("keeps the caller's event loop free while a thread computes", async () => {
    start();
    const spinning = pool.run({ op: "spin", ms: 800 });
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 10));
    // a timer on this thread fires on time although the thread next door is busy for 800 ms
    expect(performance.now() - started).toBeLessThan(400);
    expect(await spinning).toBe("spun");
  });

  it("refuses work beyond its queue with SERVICE_BUSY instead of piling it up", async () => {
    start({ size: 1, maxQueue: 2 });
    const running = [pool.run({ op: "spin", ms: 300 }), pool.run({ op: "echo", text: "a" }), pool.run({ op: "echo", text: "b" })];
    await expect(pool.run({ op: "echo", text: "c" })).rejects.toMatchObject({ code: "SERVICE_BUSY" });
    expect(await Promise.all(running)).toEqual(["spun", "a", "b"]);
  });

  it("stops a request past its time limit by replacing the thread, and a crashed thread too", async () => {
    start({ timeoutMs: 1_500 });
    await expect(pool.run({ op: "spin", ms: 20_000 })).rejects.toMatchObject({ code: "SERVICE_BUSY", message: "test work took longer than 1.5 s" });
    await expect(pool.run({ op: "crash" })).rejects.toMatchObject({ code: "INTERNAL", message: expect.stringContaining("exit code 3") });
    expect(await pool.run({ op: "echo", text: "new thread" })).toBe("new thread");
  });
});
