/**
 * Section "real-notifier" — a real pushed notification → config rows committed.
 *
 * A one-node Ceph with radosgw (test/harness/ceph-rgw.ts), a fresh PostgreSQL database, and botsync built
 * and run the way `npm start` runs it (bench/ingest-server.ts bundled by esbuild, in its own process, job
 * lanes running, reconcile timer off) with S3_NOTIFY=ceph: botsync subscribes the bucket itself, to its
 * own persistent topic. Nothing in the bench posts a notification.
 *
 * Per iteration: PutObject a 50-key config.csv with one changed value; t0 = the PUT returned; t1 = the
 * database delivered a NOTIFY sent by a trigger the bench puts on gbot_config_sync (the config job writes
 * that row in the transaction that writes the rows, and PostgreSQL delivers a NOTIFY only once that
 * transaction commits), carrying the processed ETag. So t1 − t0 is radosgw's queue and POST, botsync's
 * ingest, the job's S3 GET and apply, and the commit — what an operator waits for after an upload.
 *
 * First a warm-up upload: radosgw 16.2 delivers a new persistent topic's events only from its first queue
 * check on, ≈ 30 s after it started (see ceph-rgw.ts); that wait is reported, not measured.
 * Skipped, with the reason, when Ceph is not installed.
 */
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import postgres from "postgres";
import { cephAvailable, cephS3Client, cephSkipReason, freePort, startCephRgw } from "../test/harness/ceph-rgw.js";
import { buildService } from "./build-service.js";
import { BENCH_ROOT, configCsv, createBenchDatabase, log, onCleanup, round, serviceEnv, spawnReady, summarize, tempDir, unquote, withTimeout, type Summary } from "./lib.js";

export const REAL_NOTIFIER_BUDGET_P50_MS = 150;

export interface RealNotifierResult {
  section: "real-notifier";
  what: string;
  /** set when the section could not run here */
  skipped?: string;
  server?: string;
  iterations?: number;
  configKeys?: number;
  cephStartupMs?: number;
  /** warm-up upload → its rows committed (radosgw's first queue check; not part of the figures) */
  warmupMs?: number;
  /** PUT returned → rows committed (NOTIFY from the commit received) */
  putToCommitMs?: Summary;
  /**
   * The split, in wall-clock time of this one machine (ms resolution): PUT returned → radosgw's POST
   * recorded by botsync's webhook (botsync_events.received_at), and from there → rows committed.
   */
  putToWebhookMs?: Summary;
  webhookToCommitMs?: Summary;
  /** the PutObject itself (not part of the measured path) */
  putObjectMs?: Summary;
  verified?: { lastIterationValue: string | null; expected: string; pushedEvents: number; eventNames: string[] };
  budget: { p50Ms: number };
  met: { p50: boolean } | null;
}

const BUCKET = "bench.gbai";
const KEY = "bench.gbot/config.csv";
const CHANNEL = "bench_config_committed";

export async function benchRealNotifier(opts: { iterations: number; warmIterations: number }): Promise<RealNotifierResult> {
  const what = "real pushed notification (Ceph radosgw, persistent topic) → rows committed";
  const budget = { p50Ms: REAL_NOTIFIER_BUDGET_P50_MS };
  if (!cephAvailable()) return { section: "real-notifier", what, skipped: cephSkipReason(), budget, met: null };

  const ceph = await startCephRgw();
  onCleanup("stop Ceph", () => ceph.stop());
  log(`real-notifier: Ceph radosgw up in ${ceph.startupMs} ms at ${ceph.endpoint}`);
  const db = await createBenchDatabase();
  const dir = await tempDir("real-notifier");
  const client = cephS3Client(ceph);
  onCleanup("destroy s3 client (real-notifier)", () => client.destroy());
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));

  // radosgw must know botsync's URL before botsync starts (it creates the topic at start): a fixed port.
  const port = await freePort();
  const env = {
    ...process.env,
    ...serviceEnv(db, ceph, join(dir.path, "data")),
    S3_REGION: ceph.region,
    PORT: String(port),
    S3_NOTIFY: "ceph",
    BOTSYNC_PUBLIC_URL: `http://127.0.0.1:${port}`,
  };
  const service = await spawnReady<{ url: string; pid: number }>("real-notifier service", [await buildService(BENCH_ROOT)], env);
  log(`real-notifier: botsync (built) pid ${service.ready.pid} at ${service.ready.url}`);

  // Commits, observed through LISTEN/NOTIFY: the trigger fires inside the job's transaction, the NOTIFY is
  // delivered when it commits. The service created the tables when it started.
  await db.observer.unsafe(`
    create function ${CHANNEL}() returns trigger language plpgsql as $$
    begin perform pg_notify('${CHANNEL}', new.file_hash); return new; end $$;
    create trigger ${CHANNEL} after insert or update on gbot_config_sync for each row execute function ${CHANNEL}();`);
  const listener = postgres(db.url, { max: 1, onnotice: () => {} });
  onCleanup("close listener (real-notifier)", () => listener.end({ timeout: 1 }));
  const committed = new Map<string, number>();
  const waiters = new Map<string, (t: number) => void>();
  await listener.listen(CHANNEL, (etag) => {
    const t = performance.now();
    committed.set(etag, t);
    waiters.get(etag)?.(t);
  });
  const commitOf = (etag: string, timeoutMs: number) =>
    withTimeout(
      new Promise<number>((resolve) => {
        const seen = committed.get(etag);
        if (seen !== undefined) resolve(seen);
        else waiters.set(etag, resolve);
      }),
      timeoutMs,
      `rows committed for ETag ${etag}`,
    ).finally(() => waiters.delete(etag));

  const upload = async (iteration: number) => {
    const started = performance.now();
    const out = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: configCsv(iteration), ContentType: "text/csv" }));
    return { etag: unquote(out.ETag), putMs: performance.now() - started, t0: performance.now(), wall0: Date.now() };
  };

  const warm = await upload(0);
  const warmupTimeoutMs = Math.max(ceph.queuesListedAt - Date.now(), 0) + 20_000;
  log(`real-notifier: warm-up upload sent; radosgw delivers the new topic from its first queue check (up to ${round(warmupTimeoutMs / 1000, 0)} s)`);
  const warmupMs = round((await commitOf(warm.etag, warmupTimeoutMs)) - warm.t0, 0);

  const putToCommit: number[] = [];
  const putObject: number[] = [];
  const timed: Array<{ etag: string; wall0: number; wall1: number }> = [];
  const total = opts.warmIterations + opts.iterations;
  for (let i = 1; i <= total; i++) {
    const sent = await upload(i);
    const t1 = await commitOf(sent.etag, 10_000);
    if (i > opts.warmIterations) {
      putToCommit.push(t1 - sent.t0);
      putObject.push(sent.putMs);
      timed.push({ etag: sent.etag, wall0: sent.wall0, wall1: sent.wall0 + (t1 - sent.t0) });
    }
  }

  const [last] = await db.observer<{ value: string | null }[]>`select config_value as value from bot_configuration where config_key = 'bench-iteration'`;
  const events = await db.observer<{ source: string; event_name: string; n: number }[]>`
    select source, event_name, count(*)::int as n from botsync_events where object_key = ${KEY} group by 1, 2 order by 2`;
  const received = new Map(
    (await db.observer<{ etag: string; at: number }[]>`
      select etag, (extract(epoch from received_at) * 1000)::float8 as at from botsync_events where object_key = ${KEY} and outcome = 'queued'`).map((r) => [r.etag, r.at]),
  );
  await service.stop();

  const summary = summarize(putToCommit);
  const split = timed.filter((t) => received.has(t.etag));
  return {
    section: "real-notifier",
    what,
    server: radosgwVersion(),
    iterations: opts.iterations,
    configKeys: 50,
    cephStartupMs: ceph.startupMs,
    warmupMs,
    putToCommitMs: summary,
    putToWebhookMs: summarize(split.map((t) => received.get(t.etag)! - t.wall0)),
    webhookToCommitMs: summarize(split.map((t) => t.wall1 - received.get(t.etag)!)),
    putObjectMs: summarize(putObject),
    verified: {
      lastIterationValue: last?.value ?? null,
      expected: String(total),
      pushedEvents: events.filter((e) => e.source === "webhook").reduce((n, e) => n + e.n, 0),
      eventNames: events.map((e) => `${e.event_name} (${e.source}) × ${e.n}`),
    },
    budget,
    met: { p50: summary.p50 <= budget.p50Ms },
  };
}

function radosgwVersion(): string {
  try {
    return execFileSync("radosgw", ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim().split("\n")[0]!;
  } catch {
    return "radosgw (version unknown)";
  }
}

export function describeRealNotifier(r: RealNotifierResult): string {
  if (r.skipped) return `skipped: ${r.skipped}`;
  const s = r.putToCommitMs!;
  const v = r.verified!;
  return [
    `${r.server}; Ceph up in ${r.cephStartupMs} ms; warm-up (radosgw's first queue check) ${r.warmupMs} ms, not counted`,
    `${r.iterations} config.csv updates (${r.configKeys} keys), PUT returned → rows committed: p50 ${s.p50} ms, p90 ${s.p90} ms, p99 ${s.p99} ms, max ${s.max} ms (PUT itself p50 ${r.putObjectMs!.p50} ms)`,
    `  of which PUT returned → webhook received (radosgw's persistent queue) p50 ${r.putToWebhookMs!.p50} ms, webhook received → committed p50 ${r.webhookToCommitMs!.p50} ms`,
    `verified: bench-iteration = ${v.lastIterationValue} (expected ${v.expected}); events ${v.eventNames.join(", ")}; the reconcile timer is off, so every commit came from a push`,
    `${r.what} p50 ≤ ${r.budget.p50Ms} ms: ${r.met!.p50 ? "PASS" : "FAIL"}`,
  ].join("\n");
}
