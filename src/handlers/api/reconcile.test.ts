/**
 * POST /api/reconcile and /api/bots/:bot/sync through the whole app with port fakes: the report, the job
 * lanes woken only when something was queued, and the wait for a reconcile that is already running — on a
 * ManualClock, so the test moves time instead of waiting 250 ms per try.
 */
import { describe, expect, it } from "vitest";
import type { ReconcileReport } from "../../core/reconcile/reconcile.js";
import { apiApp, botSummary, errorOf, reconcileReport, statusOf } from "../../../test/harness/api-fixtures.js";
import { eventually } from "../../../test/harness/eventually.js";
import { BUSY_RETRY_DELAYS_MS } from "./reconcile.js";

const DEMO = botSummary("demo");

/** A reconcile that answers `reports` in turn (the last one repeats). */
function reconcileApp(...reports: ReconcileReport[]) {
  const calls: Array<string | undefined> = [];
  let woken = 0;
  const app = apiApp({
    status: statusOf(DEMO),
    reconcile: async (bot?: string) => {
      calls.push(bot);
      return reports[Math.min(calls.length - 1, reports.length - 1)]!;
    },
    onQueued: () => void woken++,
  });
  return { ...app, calls, woken: () => woken };
}

describe("POST /api/reconcile and /api/bots/:bot/sync", () => {
  it("reconciles every bot, or one, answers the report and wakes the job lanes for what it queued", async () => {
    const report = reconcileReport(2);
    const { request, calls, woken } = reconcileApp(report);
    expect(await (await request("/api/reconcile", { method: "POST" })).json<any>()).toEqual(report);
    expect(await (await request("/api/bots/demo/sync", { method: "POST" })).json<any>()).toEqual(report);
    expect(calls).toEqual([undefined, "demo"]);
    expect(woken()).toBe(2);
  });

  it("does not wake the lanes when nothing differs", async () => {
    const { request, woken } = reconcileApp(reconcileReport(0));
    expect((await request("/api/reconcile", { method: "POST" })).status).toBe(200);
    expect(woken()).toBe(0);
  });

  it("404 for an unknown bot and 400 for a bad name, without reconciling", async () => {
    const { request, calls } = reconcileApp(reconcileReport(0));
    expect((await errorOf(await request("/api/bots/nobody/sync", { method: "POST" }))).status).toBe(404);
    expect((await errorOf(await request("/api/bots/No_Body/sync", { method: "POST" }))).code).toBe("INVALID_BOT_NAME");
    expect(calls).toEqual([]);
  });

  it("waits for a running reconcile, asking again every 250 ms", async () => {
    const { request, calls, deps } = reconcileApp(reconcileReport(0, "busy"), reconcileReport(0, "busy"), reconcileReport(1));
    const answer = request("/api/reconcile", { method: "POST" });
    await eventually(() => expect(deps.clock.waiting).toBe(1));
    deps.clock.advance(249);
    expect(calls).toHaveLength(1);
    deps.clock.advance(1);
    await eventually(() => expect(calls).toHaveLength(2));
    await eventually(() => expect(deps.clock.waiting).toBe(1));
    deps.clock.advance(250);
    const res = await answer;
    expect(res.status).toBe(200);
    expect(await res.json<any>()).toMatchObject({ status: "done", queued: 1 });
    expect(calls).toHaveLength(3);
  });

  it("409 CONFLICT when a reconcile is still running after 5 s", async () => {
    const { request, calls, deps } = reconcileApp(reconcileReport(0, "busy"));
    const answer = request("/api/reconcile", { method: "POST" });
    for (const delay of BUSY_RETRY_DELAYS_MS) {
      await eventually(() => expect(deps.clock.waiting).toBe(1));
      deps.clock.advance(delay);
    }
    expect(await errorOf(await answer)).toEqual({ status: 409, code: "CONFLICT", message: "another reconcile is still running; try again in a few seconds" });
    expect(calls).toHaveLength(BUSY_RETRY_DELAYS_MS.length + 1);
    expect(BUSY_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0)).toBe(5_000);
  });

  it("refuses a body it does not take past the default limit with 413", async () => {
    const { request, calls } = reconcileApp(reconcileReport(0));
    const res = await request("/api/reconcile", { method: "POST", body: "x".repeat(100 * 1024) });
    expect(await errorOf(res)).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
    expect(calls).toEqual([]);
  });
});
