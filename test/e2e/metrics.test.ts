/**
 * GET /metrics on the running service: Prometheus's text format with counters that move as the service
 * works. Which tokens open it is the handler's and tested in process (src/handlers/metrics.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../harness/stack.js";

const METRICS_TOKEN = "test-metrics-token-0123456789";
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { METRICS_TOKEN } });
  await stack.createBucket("mx.gbai");
});
afterAll(async () => {
  await stack?.close();
});

async function scrape(token = METRICS_TOKEN): Promise<Map<string, number>> {
  const res = await fetch(`${stack.service.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

describe("GET /metrics", () => {
  it("counts notifications, job runs and their latency, reconcile, objects and dependency health", async () => {
    const before = await scrape();
    await stack.put("mx.gbai", "mx.gbot/config.csv", "a,1\n");
    await stack.put("mx.gbai", "mx.gbdialog/broken.bas", "IF x THEN\n");
    await stack.settle();
    await stack.api("/api/reconcile", { method: "POST" });
    const after = await scrape();
    const moved = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    expect(moved('botsync_notifications_total{outcome="queued"}')).toBe(2);
    expect(moved('botsync_job_runs_total{kind="config",outcome="applied"}')).toBe(1);
    expect(moved('botsync_job_runs_total{kind="dialog",outcome="failed"}')).toBe(1);
    expect(moved('botsync_job_latency_seconds_count{kind="config"}')).toBe(1);
    expect(moved("botsync_reconcile_duration_seconds_count")).toBe(1);
    expect(after.get('botsync_objects{kind="config",status="synced"}')).toBe(1);
    expect(after.get('botsync_objects{kind="bas",status="failed"}')).toBe(1);
    for (const dependency of ["database", "drive", "secrets"]) expect(after.get(`botsync_dependency_up{dependency="${dependency}"}`)).toBe(1);
    expect(after.get("botsync_kb_documents")).toBe(0);
    expect(after.has("botsync_process_resident_memory_bytes")).toBe(true);
  });
});
