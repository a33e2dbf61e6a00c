import { describe, expect, it } from "vitest";
import { backoffDelayMs, backoffDelays, retrying } from "../../src/core/time/retry.js";
import { ManualClock } from "../harness/manual-clock.js";
import { eventually } from "../harness/eventually.js";

describe("backoff", () => {
  it("starts at the first wait, doubles after each failure and stops at the cap", () => {
    const policy = { firstMs: 250, maxMs: 1_500 };
    expect([0, 1, 2, 3, 4, 5].map((failures) => backoffDelayMs(policy, failures))).toEqual([250, 250, 500, 1_000, 1_500, 1_500]);
    expect(backoffDelays(policy, 4)).toEqual([250, 500, 1_000, 1_500]);
    expect(backoffDelays(policy, 0)).toEqual([]);
  });
});

describe("retrying", () => {
  it("waits each delay on the clock between attempts and answers the first success", async () => {
    const clock = new ManualClock();
    const attempts: number[] = [];
    const retried: Array<[number, number]> = [];
    const result = retrying(
      async (n) => {
        attempts.push(n);
        if (n < 2) throw new Error(`failure ${n}`);
        return "done";
      },
      { delays: [100, 400, 900], clock, onRetry: (_error, attempt, delayMs) => retried.push([attempt, delayMs]) },
    );
    await eventually(() => expect(clock.waiting).toBe(1));
    clock.advance(99);
    expect(attempts).toEqual([0]);
    clock.advance(1);
    await eventually(() => expect(attempts).toEqual([0, 1]));
    await eventually(() => expect(clock.waiting).toBe(1));
    clock.advance(400);
    expect(await result).toBe("done");
    expect(attempts).toEqual([0, 1, 2]);
    expect(retried).toEqual([
      [1, 100],
      [2, 400],
    ]);
  });

  it("throws the last failure when the delays are used up", async () => {
    let n = 0;
    const noWait = { sleep: async () => {} };
    await expect(retrying(async () => Promise.reject(new Error(`failure ${++n}`)), { delays: [1, 1], clock: noWait })).rejects.toThrow("failure 3");
  });

  it("stops at once on a failure that is not retryable", async () => {
    let n = 0;
    const waits: number[] = [];
    const clock = { sleep: async (ms: number) => void waits.push(ms) };
    const attempt = async () => {
      n++;
      throw n === 1 ? new Error("transient") : new Error("permanent");
    };
    await expect(retrying(attempt, { delays: [5, 5, 5], clock, retryable: (e) => (e as Error).message === "transient" })).rejects.toThrow("permanent");
    expect(n).toBe(2);
    expect(waits).toEqual([5]);
  });
});
