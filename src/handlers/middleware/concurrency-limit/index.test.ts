import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { BotsyncError } from "../../../core/errors.js";
import { limitConcurrency } from "./index.js";

function app(limit: { running: number; waiting: number }) {
  const gates: Array<() => void> = [];
  let inside = 0;
  let most = 0;
  const order: number[] = [];
  const hono = new Hono();
  hono.onError((error, c) => c.json({ code: error instanceof BotsyncError ? error.code : "?" }, 503));
  hono.post("/w/:n", limitConcurrency({ ...limit, retryAfterS: 2 }), async (c) => {
    inside++;
    most = Math.max(most, inside);
    order.push(Number(c.req.param("n")));
    await new Promise<void>((resolve) => gates.push(resolve));
    inside--;
    return c.json({ ok: true });
  });
  const post = (n: number) => hono.request(`/w/${n}`, { method: "POST" });
  return { post, gates, order, most: () => most };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("limitConcurrency", () => {
  it("lets `running` requests in at once and the rest in arrival order as places free", async () => {
    const { post, gates, order, most } = app({ running: 2, waiting: 10 });
    const answers = [1, 2, 3, 4, 5].map(post);
    await tick();
    expect(order).toEqual([1, 2]);
    gates.shift()!();
    await tick();
    expect(order).toEqual([1, 2, 3]);
    while (order.length < 5 || gates.length > 0) {
      gates.shift()?.();
      await tick();
    }
    expect((await Promise.all(answers)).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(most()).toBe(2);
  });

  it("answers 503 SERVICE_BUSY with Retry-After only past `waiting` waiting requests", async () => {
    const { post, gates } = app({ running: 1, waiting: 1 });
    const first = post(1);
    const second = post(2);
    await tick();
    const third = await post(3);
    expect(third.status).toBe(503);
    expect(third.headers.get("retry-after")).toBe("2");
    expect(await third.json()).toEqual({ code: "SERVICE_BUSY" });
    gates.shift()!();
    await tick();
    gates.shift()!();
    expect([(await first).status, (await second).status]).toEqual([200, 200]);
  });
});
