/**
 * Section 1 — webhook received → config rows committed, botsync side by side with the naive reference.
 *
 * One fresh PostgreSQL database, one s3rver process (no event forwarding: the bench plays MinIO and POSTs
 * itself), and two services in the bench process: botsync (startNodeService, pool 10, default job lanes,
 * reconcile timer off) and the naive reference (bench/naive-inline.ts: GET + parse + apply inside the
 * request). Each has its own bot, so neither touches the other's rows.
 *
 * Every iteration measures both, one after the other, the order swapping each time: PutObject a 50-key
 * config.csv with one changed value, then t0, POST MinIO's exact body with the real ETag, and t1 = the moment
 * the bench's LISTEN connection receives the NOTIFY that a trigger on bot_configuration sends for that bot
 * and that value. PostgreSQL delivers a NOTIFY when its transaction commits, so t1 is "rows committed" seen
 * by the same observer for both, whether the service committed before answering (naive) or after (botsync).
 * The budget is the ratio botsync / naive of p50 and of p99.
 */
import http from "node:http";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { join } from "node:path";
import { parseSettings } from "../src/core/settings/settings.js";
import { JsonLogger } from "../src/adapters/log/json-logger.js";
import { findOrCreateBot } from "../src/adapters/db/bots.js";
import { createSequencer, minioBody } from "../src/adapters/embedded/minio-notifier.js";
import { startNodeService } from "../functions/node-service.js";
import { NAIVE_APPLICATION_NAME, startNaiveInline } from "./naive-inline.js";
import {
  WEBHOOK_TOKEN,
  configCsv,
  createBenchDatabase,
  createBucket,
  log,
  onCleanup,
  procCpuSeconds,
  putObject,
  round,
  s3Client,
  sampleLoad,
  startS3Process,
  summarize,
  tempDir,
  type Load,
  type Summary,
  serviceEnv,
} from "./lib.js";

/** What one implementation measured. */
export interface LatencyFigures {
  /** t0 (POST sent) → NOTIFY of the commit received */
  totalMs: Summary;
  /** t0 → HTTP response received */
  webhookResponseMs: Summary;
  /** CPU per measured iteration: the bench process (both services live in it) and this service's PostgreSQL backends */
  cpuPerIterationMs: { benchProcess: number; postgres: number };
  verified: { lastIterationValue: string | null; expected: string; configRows: number };
}

export interface WebhookLatencyResult {
  section: "webhook-latency";
  what: string;
  iterations: number;
  warmup: number;
  configKeys: number;
  /** the share of all CPUs busy in the second before the section started, and the load average */
  backgroundLoad: Load;
  botsync: LatencyFigures & {
    /** HTTP response → rows committed (the job after the 2xx); ≤ 0 when the job committed before the answer arrived */
    responseToCommitMs: Summary;
    /** the job's own "ms" field (prepare + apply transaction; 1 ms resolution) */
    jobApplyMs: Summary;
  };
  naive: LatencyFigures;
  /** botsync / naive */
  ratio: { p50: number; p99: number };
  /** PutObject to s3rver before each POST, and reading it back until s3rver has written it (not measured) */
  putObjectMs: Summary;
  /** GetObject of the same config.csv through the service's S3Drive, measured after the loop (context) */
  getObjectMs: Summary;
  warnings: string[];
  budget: { ratio: number };
  met: { p50: boolean; p99: boolean };
}

type Target = "botsync" | "naive";

export async function benchWebhookLatency(opts: { iterations: number; warmup: number }): Promise<WebhookLatencyResult> {
  const backgroundLoad = await sampleLoad();
  const db = await createBenchDatabase();
  const dir = await tempDir("latency");
  const s3 = await startS3Process(join(dir.path, "s3"));
  const stopS3 = s3.close;
  const client = s3Client(s3.endpoint, s3.accessKeyId, s3.secretAccessKey);
  const stopClient = onCleanup("destroy s3 client (latency)", () => client.destroy());

  const applied = new Map<string, number>();
  const warnings: string[] = [];
  const serviceLog = new JsonLogger({ service: "botsync-bench" }, "info", (level, line) => {
    if (line.includes('"object applied"')) {
      const record = JSON.parse(line) as { etag?: string; ms?: number };
      if (record.etag) applied.set(record.etag, record.ms ?? NaN);
      return;
    }
    if ((level === "warn" || level === "error") && warnings.length < 20) warnings.push(line);
  });

  const settings = parseSettings(serviceEnv(db, s3, join(dir.path, "data")));
  const service = await startNodeService(settings, { log: serviceLog, reconcileTimer: false, poolSize: 10 });
  const stopService = onCleanup("stop service (latency)", () => service.close());
  const naive = await startNaiveInline({ databaseUrl: db.url, s3, webhookToken: WEBHOOK_TOKEN });
  const stopNaive = onCleanup("stop naive reference", () => naive.close());

  // The observer: a NOTIFY per committed transaction that wrote a `bench-iteration` row, "bot_id value".
  await db.observer.unsafe(`
    create function bench_committed() returns trigger language plpgsql as $$
    declare payload text;
    begin
      select string_agg(bot_id::text || ' ' || config_value, ',') into payload from changed where config_key = 'bench-iteration';
      if payload is not null then perform pg_notify('bench_committed', payload); end if;
      return null;
    end $$;
    create trigger bench_committed_insert after insert on bot_configuration referencing new table as changed
      for each statement execute function bench_committed();
    create trigger bench_committed_update after update on bot_configuration referencing new table as changed
      for each statement execute function bench_committed();`);
  const waiters = new Map<string, (t: number) => void>();
  const listening = await db.observer.listen("bench_committed", (payload) => {
    const t = performance.now();
    for (const item of payload.split(",")) waiters.get(item)?.(t);
  });
  const stopListening = onCleanup("unlisten (latency)", () => listening.unlisten());

  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const stopAgent = onCleanup("destroy http agent", () => agent.destroy());

  const targets: Record<Target, { url: URL; bucket: string; key: string; botId: string; total: number[]; response: number[]; cpu: number; pgCpu: number; backends: number[] }> = {
    botsync: { url: new URL(`${service.url}/webhooks/minio`), bucket: "bench.gbai", key: "bench.gbot/config.csv", botId: "", total: [], response: [], cpu: 0, pgCpu: 0, backends: [] },
    naive: { url: new URL(`${naive.url}/webhooks/minio`), bucket: "naive.gbai", key: "naive.gbot/config.csv", botId: "", total: [], response: [], cpu: 0, pgCpu: 0, backends: [] },
  };
  const toCommit: number[] = [];
  const jobApply: number[] = [];
  const puts: number[] = [];
  const nextSequencer = createSequencer();

  try {
    for (const target of Object.values(targets)) {
      await createBucket(client, target.bucket);
      target.botId = (await findOrCreateBot(service.sql, target.bucket.replace(/\.gbai$/, ""))).id;
    }

    const one = async (name: Target, i: number, measured: boolean) => {
      const target = targets[name];
      const content = configCsv(i);
      const p0 = performance.now();
      const etag = await putObject(client, target.bucket, target.key, content, "text/csv");
      await untilReadable(client, target.bucket, target.key, content);
      if (measured) puts.push(performance.now() - p0);
      const json = JSON.stringify(
        minioBody(
          { eventName: "s3:ObjectCreated:Put", bucket: target.bucket, key: target.key, etag, size: Buffer.byteLength(content), contentType: "text/csv", eventTime: new Date().toISOString() },
          { sequencer: nextSequencer() },
        ),
      );
      let answered = false;
      const committed = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${name}: no commit of iteration ${i} within 10 s (${answered ? "the POST was answered" : "the POST was not answered"}); service warnings: ${warnings.slice(-3).join("\n")}`)),
          10_000,
        );
        waiters.set(`${target.botId} ${i}`, (t) => {
          clearTimeout(timer);
          resolve(t);
        });
      });
      const backendCpu = () => target.backends.reduce((sum, pid) => sum + (procCpuSeconds(pid) || 0), 0);
      const pg0 = measured ? backendCpu() : 0;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const res = await Promise.race([post(agent, target.url, json), committed.then(() => new Promise<never>(() => {}))]);
      answered = true;
      const tResponse = performance.now();
      if (res.status !== 200) throw new Error(`${name} answered ${res.status}: ${res.body.slice(0, 300)}`);
      if (name === "botsync" && !res.body.includes('"outcome":"queued"')) throw new Error(`notification not queued: ${res.body.slice(0, 300)}`);
      const t1 = await committed;
      waiters.delete(`${target.botId} ${i}`);
      const cpu1 = process.cpuUsage(cpu0);
      if (!measured) return;
      target.cpu += (cpu1.user + cpu1.system) / 1000;
      target.pgCpu += (backendCpu() - pg0) * 1000;
      target.total.push(t1 - t0);
      target.response.push(tResponse - t0);
      if (name === "botsync") {
        toCommit.push(t1 - tResponse);
        // the log line follows the commit by a few microtasks
        await new Promise((r) => setImmediate(r));
        jobApply.push(applied.get(etag) ?? NaN);
      }
      applied.delete(etag);
    };

    const all = opts.warmup + opts.iterations;
    for (let i = 0; i < all; i++) {
      const measured = i >= opts.warmup;
      if (i === opts.warmup) {
        // Each service's PostgreSQL backends, told apart by application_name.
        const rows = await db.observer<{ pid: number; app: string }[]>`
          select pid, application_name as app from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
        targets.botsync.backends = rows.filter((r) => r.app === "botsync").map((r) => r.pid);
        targets.naive.backends = rows.filter((r) => r.app === NAIVE_APPLICATION_NAME).map((r) => r.pid);
      }
      // Swap the order every iteration, so neither always runs right after the other's burst of work.
      const order: Target[] = i % 2 === 0 ? ["botsync", "naive"] : ["naive", "botsync"];
      for (const name of order) await one(name, i, measured);
      if ((i + 1) % 100 === 0) log(`latency: ${i + 1}/${all}`);
    }

    const gets: number[] = [];
    for (let i = 0; i < 200; i++) {
      const g0 = performance.now();
      await service.drive.getObject(targets.botsync.bucket, targets.botsync.key, 1024 * 1024);
      if (i >= 20) gets.push(performance.now() - g0);
    }

    const figures = async (name: Target): Promise<LatencyFigures> => {
      const target = targets[name];
      const [row] = await db.observer<{ v: string }[]>`
        select config_value as v from bot_configuration where bot_id = ${target.botId} and config_key = 'bench-iteration'`;
      const [count] = await db.observer<{ n: number }[]>`select count(*)::int as n from bot_configuration where bot_id = ${target.botId}`;
      return {
        totalMs: summarize(target.total),
        webhookResponseMs: summarize(target.response),
        cpuPerIterationMs: { benchProcess: round(target.cpu / opts.iterations, 3), postgres: round(target.pgCpu / opts.iterations, 3) },
        verified: { lastIterationValue: row?.v ?? null, expected: String(all - 1), configRows: count?.n ?? 0 },
      };
    };
    const b = await figures("botsync");
    const n = await figures("naive");
    const ratio = { p50: round(b.totalMs.p50 / n.totalMs.p50, 3), p99: round(b.totalMs.p99 / n.totalMs.p99, 3) };
    const budget = { ratio: 0.6 };
    return {
      section: "webhook-latency",
      what:
        "POST /webhooks/minio (MinIO body, real ETag) → NOTIFY from the commit that wrote the rows; 50-key config.csv, S3 GET from s3rver, real PostgreSQL, loopback; botsync and the naive inline reference interleaved",
      iterations: opts.iterations,
      warmup: opts.warmup,
      configKeys: 50,
      backgroundLoad,
      botsync: { ...b, responseToCommitMs: summarize(toCommit), jobApplyMs: summarize(jobApply.filter((x) => Number.isFinite(x))) },
      naive: n,
      ratio,
      putObjectMs: summarize(puts),
      getObjectMs: summarize(gets),
      warnings,
      budget,
      met: { p50: ratio.p50 <= budget.ratio, p99: ratio.p99 <= budget.ratio },
    };
  } finally {
    await stopAgent();
    await stopListening();
    await stopNaive();
    await stopService();
    await stopClient();
    await stopS3();
    await db.drop();
    await dir.remove();
  }
}

/**
 * s3rver answers PutObject before the object's file is written (it ends the write stream and does not wait
 * for it), so a GET right after can read the previous or a truncated version: MinIO never does that. Each
 * iteration waits until the new content reads back, before its clock starts.
 */
async function untilReadable(client: S3Client, bucket: string, key: string, content: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if ((await out.Body!.transformToString()) === content) return;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`s3rver never returned the new content of ${bucket}/${key}`);
}

function post(agent: http.Agent, url: URL, json: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(json),
          authorization: `Bearer ${WEBHOOK_TOKEN}`,
          "user-agent": "Go-http-client/1.1",
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(json);
  });
}

export function describeWebhookLatency(r: WebhookLatencyResult): string {
  const f = (s: Summary) => `p50 ${s.p50} ms, p90 ${s.p90} ms, p99 ${s.p99} ms, max ${s.max} ms`;
  const side = (name: string, x: LatencyFigures) => [
    `  ${name.padEnd(8)} POST → rows committed  ${f(x.totalMs)}`,
    `  ${"".padEnd(8)} POST → HTTP response   ${f(x.webhookResponseMs)}`,
    `  ${"".padEnd(8)} CPU per iteration: bench process (client + both services) ${x.cpuPerIterationMs.benchProcess} ms, its PostgreSQL backends ${x.cpuPerIterationMs.postgres} ms`,
    `  ${"".padEnd(8)} verified: bench-iteration = ${x.verified.lastIterationValue} (expected ${x.verified.expected}), ${x.verified.configRows} rows`,
  ];
  return [
    `webhook → config rows committed, side by side (${r.iterations} iterations of each after ${r.warmup} warm-up, ${r.configKeys}-key config.csv, interleaved):`,
    `  background load before the section: ${r.backgroundLoad.busyPercent}% of all CPUs busy, loadavg ${r.backgroundLoad.loadavg.join(" ")}`,
    ...side("botsync", r.botsync),
    `  ${"".padEnd(8)} HTTP response → rows committed ${f(r.botsync.responseToCommitMs)}`,
    `  ${"".padEnd(8)} the job's own ms field p50 ${r.botsync.jobApplyMs.p50} ms (1 ms resolution)`,
    ...side("naive", r.naive),
    `  ratio botsync / naive: p50 ${r.ratio.p50}, p99 ${r.ratio.p99}   [budget ≤ ${r.budget.ratio} each]`,
    `  context: one GetObject of this config.csv from s3rver through the service's S3Drive p50 ${r.getObjectMs.p50} ms, p99 ${r.getObjectMs.p99} ms`,
    `  (not measured: PutObject to s3rver before each POST, p50 ${r.putObjectMs.p50} ms)`,
    r.warnings.length ? `  service warnings: ${r.warnings.length} (first: ${r.warnings[0]?.slice(0, 200)})` : `  service warnings: none`,
  ].join("\n");
}
