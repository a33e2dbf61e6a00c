import { afterEach, describe, expect, it, vi } from "vitest";
import { GroupCommit } from "./group-commit.js";

/** A writer that records its batches and answers when told to. */
function writer<T>() {
  const batches: { items: T[]; done(results?: string[]): void; fail(error: unknown): void }[] = [];
  const write = (items: T[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push({ items, done: (results) => resolve(results ?? items.map((item) => `done ${String(item)}`)), fail: reject });
    });
  return { batches, write };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
/** A few turns: a batch's return reaches the next flush through a chain of promise callbacks. */
const settle = async () => {
  for (let i = 0; i < 3; i++) await turn();
};

afterEach(() => {
  vi.useRealTimers();
});

describe("GroupCommit", () => {
  it("sends what is submitted in the same turn as one batch, in order, and gives each submitter its own result", async () => {
    const w = writer<number>();
    const group = new GroupCommit({ write: w.write, maxItems: 10, maxInFlight: 1 });
    const results = [1, 2, 3].map((n) => group.submit(n));
    await turn();
    expect(w.batches.map((b) => b.items)).toEqual([[1, 2, 3]]);
    w.batches[0]!.done(["a", "b", "c"]);
    expect(await Promise.all(results)).toEqual(["a", "b", "c"]);
  });

  it("collects what arrives while a batch is out and sends it, in order, when the batch is back", async () => {
    const w = writer<number>();
    const group = new GroupCommit({ write: w.write, maxItems: 10, maxInFlight: 1 });
    const first = group.submit(1);
    await turn();
    const later = [2, 3, 4].map((n) => group.submit(n));
    await turn();
    expect(w.batches).toHaveLength(1);
    w.batches[0]!.done();
    await first;
    await settle();
    expect(w.batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]);
    w.batches[1]!.done();
    expect(await Promise.all(later)).toEqual(["done 2", "done 3", "done 4"]);
  });

  it("flushes at maxItems without waiting for the turn to end", async () => {
    const w = writer<number>();
    const group = new GroupCommit({ write: w.write, maxItems: 2, maxInFlight: 3 });
    for (const n of [1, 2, 3, 4, 5]) void group.submit(n);
    expect(w.batches.map((b) => b.items)).toEqual([[1, 2], [3, 4]]);
    await turn();
    expect(w.batches.map((b) => b.items)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("never has more than maxInFlight writes out", async () => {
    const w = writer<number>();
    const group = new GroupCommit({ write: w.write, maxItems: 1, maxInFlight: 2 });
    const all = [1, 2, 3, 4].map((n) => group.submit(n));
    await turn();
    expect(w.batches).toHaveLength(2);
    w.batches[0]!.done();
    await all[0];
    await settle();
    expect(w.batches.map((b) => b.items)).toEqual([[1], [2], [3]]);
  });

  it("waits windowMs for more items when asked to", async () => {
    vi.useFakeTimers();
    const w = writer<number>();
    const group = new GroupCommit({ write: w.write, maxItems: 10, maxInFlight: 1, windowMs: 1 });
    void group.submit(1);
    vi.advanceTimersByTime(0.5);
    void group.submit(2);
    expect(w.batches).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(w.batches.map((b) => b.items)).toEqual([[1, 2]]);
  });

  it("fails every item of a failed batch with the batch's error, and goes on with the next batch", async () => {
    const w = writer<number>();
    const group = new GroupCommit({ write: w.write, maxItems: 10, maxInFlight: 1 });
    const failing = [1, 2].map((n) => group.submit(n));
    await turn();
    const next = group.submit(3);
    const error = new Error("connection lost");
    w.batches[0]!.fail(error);
    for (const result of await Promise.allSettled(failing)) expect(result).toEqual({ status: "rejected", reason: error });
    await settle();
    w.batches[1]!.done();
    expect(await next).toBe("done 3");
  });

  it("fails the whole batch when the writer answers for a different number of items", async () => {
    const w = writer<number>();
    const group = new GroupCommit({ write: w.write, maxItems: 10, maxInFlight: 1 });
    const results = [1, 2].map((n) => group.submit(n));
    await turn();
    w.batches[0]!.done(["only one"]);
    for (const result of await Promise.allSettled(results)) expect(result.status).toBe("rejected");
  });
});
