/**
 * Section 2 — webhook ingest throughput and memory.
 *
 * The service runs in a child process (bench/ingest-server.ts: startNodeService, job lanes running, pool 10)
 * so that autocannon, here, does not share its event loop; s3rver runs in a third process (bench/s3-server.ts).
 * Only the config.csv objects exist in the drive; jobs queued for other keys find no object.
 * Every request carries a distinct MinIO body built on the fly (strictly increasing sequencer, varying
 * key and ETag), so each one is really recorded in botsync_events; the outcome mix is read back from there.
 *
 * Three phases:
 *   - "mixed": 1,000 keys in 10 bot buckets plus a non-bot bucket — config.csv (alternating new/already
 *     processed ETags → queued/duplicate), prompts, dialogs and kb files (queued when a job handles their
 *     kind, else ignored — the mix printed says which), removals, ObjectAccessed events (ignored), objects in
 *     a non-bot bucket (ignored).
 *   - "queued": only config.csv keys in 250 bot buckets, a new ETag every time → every record queued and a
 *     job run (GET + compare) for most of them: the most expensive ingest path today.
 *   - "1000 connections": the mixed workload from 1,000 connections at once for 15 s: no answer may be a
 *     non-2xx (a 503 is an event MinIO must send again), and the service's memory must stay bounded.
 * The budget verdict uses the service built as `npm start` builds it (esbuild bundle, plain Node). For
 * comparison, a shorter mixed phase then runs the same code from its TypeScript sources through tsx (as
 * `npm run dev` does), which shows what tsx itself costs in memory.
 */
import type { ChildProcess } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon, { type AutocannonResult } from "autocannon";
import { buildService } from "./build-service.js";
import type { S3ObjectEvent } from "../src/adapters/embedded/s3-server.js";
import { createSequencer, minioBody } from "../src/adapters/embedded/minio-notifier.js";
import {
  busyPercent,
  configCsv,
  cpuTimes,
  createBenchDatabase,
  createBucket,
  log,
  mapLimit,
  onCleanup,
  procCpuSeconds,
  procMemory,
  putObject,
  round,
  s3Client,
  spawnReady,
  startS3Process,
  tempDir,
  withTimeout,
  serviceEnv,
} from "./lib.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

interface KeySpec {
  bucket: string;
  key: string;
  kind: "config" | "prompt" | "dialog" | "kb" | "foreign";
  /** the object's real ETag in s3rver (config.csv only) */
  realEtag?: string;
}

export interface IngestPhaseResult {
  phase: string;
  runtime: "tsx" | "compiled";
  description: string;
  connections: number;
  durationS: number;
  distinctKeys: number;
  requests: { total2xx: number; non2xx: number; errors: number; timeouts: number; sent: number; perSecond: number; perSecondSamples: { p50: number; min: number } };
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  recorded: { events: number; byOutcome: Record<string, number>; topReasons: Array<{ outcome: string; reason: string; n: number }> };
  objectsAfter: Record<string, number>;
  childRssMb: { start: number; peakSampled: number; end: number };
  /** CPU time over the phase's wall time; "load generator" = this process (autocannon + body building) */
  cpu: {
    childPercentOfOneCore: number;
    loadGeneratorPercentOfOneCore: number;
    postgresBackendsPercentOfOneCore: number;
    /** CPU time per answered notification: independent of how busy the machine was */
    serviceMsPerNotification: number;
    postgresMsPerNotification: number;
    machineBusyPercent: number;
  };
}

export interface ChildSummary {
  runtime: "tsx" | "compiled";
  command: string;
  rssAtReadyMb: number;
  peakRssMb: number;
  vmHwmMb: number;
  endMemory?: NodeJS.MemoryUsage;
  logLines?: Record<string, number>;
  warnings?: string[];
}

export interface IngestThroughputResult {
  section: "ingest-throughput";
  what: string;
  phases: IngestPhaseResult[];
  /** the service as npm start runs it (built with esbuild); the budget verdict is about this one */
  child: ChildSummary;
  /** the same code run through tsx, for comparison (not part of the verdict) */
  compiled?: { child: ChildSummary; phase: IngestPhaseResult } | { error: string };
  budget: { perSecond: number; rssMb: number };
  met: { throughput: boolean; rss: boolean; no_non2xx: boolean };
}

export async function benchIngestThroughput(opts: {
  durationS: number;
  queuedDurationS: number;
  connections: number;
  /** seconds of the mixed phase against the service run through tsx; 0 = skip the comparison */
  compiledDurationS: number;
  /** the burst phase: this many connections at once, for this long */
  burstConnections: number;
  burstDurationS: number;
}): Promise<IngestThroughputResult> {
  const db = await createBenchDatabase();
  const dir = await tempDir("ingest");
  const s3 = await startS3Process(join(dir.path, "s3"));
  const stopS3 = s3.close;
  const client = s3Client(s3.endpoint, s3.accessKeyId, s3.secretAccessKey);
  const stopClient = onCleanup("destroy s3 client (ingest)", () => client.destroy());
  let stopChild: (() => Promise<void>) | null = null;

  try {
    // -------- objects the jobs will read
    const mixedKeys = mixedKeySpace();
    const queuedKeys = queuedKeySpace(250);
    const configSpecs = [...mixedKeys, ...queuedKeys].filter((k) => k.kind === "config");
    log(`ingest: creating ${configSpecs.length} buckets with a config.csv in s3rver`);
    await createBucket(client, "backups");
    await mapLimit(configSpecs, 16, async (spec) => {
      await createBucket(client, spec.bucket);
      spec.realEtag = await putObject(client, spec.bucket, spec.key, configCsv(0), "text/csv");
    });

    // -------- the service, in its own process, built the way npm start builds it
    const childEnv = { ...process.env, ...serviceEnv(db, s3, join(dir.path, "data")), BENCH_POOL_SIZE: "10" };
    let service = await startChild("compiled", [await buildService(ROOT)], childEnv);
    stopChild = service.stop;
    log(`ingest: service child (built) pid ${service.pid} at ${service.url}, RSS ${service.rssAtReadyMb} MB`);

    const nextSequencer = createSequencer();
    const runPhase = async (
      service: ServiceChild,
      phase: string,
      description: string,
      keys: KeySpec[],
      bodyFor: (n: number, spec: KeySpec) => { eventName: string; etag?: string },
      durationS: number,
      amount?: number,
      connections = opts.connections,
    ): Promise<IngestPhaseResult> => {
      const pid = service.pid;
      const [{ max: beforeId } = { max: "0" }] = await db.observer<{ max: string }[]>`select coalesce(max(id), 0)::text as max from botsync_events`;
      let n = 0;
      const cpuBefore = cpuTimes();
      const childCpuBefore = procCpuSeconds(pid);
      // the PostgreSQL backends serving this database (the service's pool)
      const backendPids = (await db.observer<{ pid: number }[]>`
        select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`).map((r) => r.pid);
      const backendCpu = () => backendPids.reduce((sum, p) => sum + (procCpuSeconds(p) || 0), 0);
      const backendCpuBefore = backendCpu();
      const selfCpuBefore = process.cpuUsage();
      const rssStart = procMemory(pid)?.rssMb ?? NaN;
      let phasePeak = rssStart;
      const phaseSampler = setInterval(() => {
        const m = procMemory(pid);
        if (m && m.rssMb > phasePeak) phasePeak = m.rssMb;
      }, 100);
      const wallStart = performance.now();
      let result: AutocannonResult;
      try {
        result = await autocannon({
          url: service.url,
          connections,
          ...(amount !== undefined ? { amount } : { duration: durationS }),
          timeout: 10,
          requests: [
            {
              method: "POST",
              path: "/webhooks/minio",
              headers: { "content-type": "application/json", authorization: `Bearer ${service.webhookToken}`, "user-agent": "Go-http-client/1.1" },
              setupRequest: (req) => {
                const i = n++;
                const spec = keys[i % keys.length]!;
                const { eventName, etag } = bodyFor(i, spec);
                const event: S3ObjectEvent = {
                  eventName: eventName as S3ObjectEvent["eventName"],
                  bucket: spec.bucket,
                  key: spec.key,
                  ...(etag ? { etag, size: 1234, contentType: "application/octet-stream" } : {}),
                  eventTime: new Date().toISOString(),
                };
                req.body = JSON.stringify(minioBody(event, { sequencer: nextSequencer() }));
                return req;
              },
            },
          ],
        });
      } finally {
        clearInterval(phaseSampler);
      }
      const wallS = (performance.now() - wallStart) / 1000;
      const childCpu = procCpuSeconds(pid) - childCpuBefore;
      const pgCpu = backendCpu() - backendCpuBefore;
      const self = process.cpuUsage(selfCpuBefore);
      const cpuAfter = cpuTimes();
      const rssEnd = procMemory(pid)?.rssMb ?? NaN;

      // in-flight requests at the stop may still be finishing on the server
      await new Promise((r) => setTimeout(r, 300));
      const outcomes = await db.observer<{ outcome: string; n: number }[]>`
        select outcome, count(*)::int as n from botsync_events where id > ${beforeId}::bigint group by outcome order by n desc`;
      const reasons = await db.observer<{ outcome: string; reason: string; n: number }[]>`
        select outcome, coalesce(reason, '') as reason, count(*)::int as n from botsync_events
        where id > ${beforeId}::bigint and outcome <> 'queued' group by 1, 2 order by n desc limit 8`;
      const objects = await db.observer<{ status: string; n: number }[]>`
        select sync_status as status, count(*)::int as n from drive_files group by 1 order by 1`;
      const byOutcome = Object.fromEntries(outcomes.map((o) => [o.outcome, o.n]));
      return {
        phase,
        runtime: service.runtime,
        description,
        connections,
        durationS: round(result.duration, 2),
        distinctKeys: keys.length,
        requests: {
          total2xx: result["2xx"],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          sent: result.requests.sent,
          perSecond: round(result["2xx"] / result.duration, 0),
          perSecondSamples: { p50: result.requests.p50, min: result.requests.min },
        },
        latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: round(result.latency.mean, 2) },
        recorded: { events: outcomes.reduce((a, o) => a + o.n, 0), byOutcome, topReasons: reasons.map((r) => ({ ...r, reason: r.reason.slice(0, 90) })) },
        objectsAfter: Object.fromEntries(objects.map((o) => [o.status, o.n])),
        childRssMb: { start: rssStart, peakSampled: phasePeak, end: rssEnd },
        cpu: {
          childPercentOfOneCore: round((100 * childCpu) / wallS, 0),
          loadGeneratorPercentOfOneCore: round((100 * (self.user + self.system)) / 1e6 / wallS, 0),
          postgresBackendsPercentOfOneCore: round((100 * pgCpu) / wallS, 0),
          serviceMsPerNotification: round((1000 * childCpu) / Math.max(1, result["2xx"]), 3),
          postgresMsPerNotification: round((1000 * pgCpu) / Math.max(1, result["2xx"]), 3),
          machineBusyPercent: busyPercent(cpuBefore, cpuAfter),
        },
      };
    };

    const mixedBody = (i: number, spec: KeySpec) => {
      const cycle = Math.floor(i / mixedKeys.length);
      const fresh = `${(i * 2654435761 >>> 0).toString(16).padStart(8, "0")}${i.toString(16).padStart(24, "0")}`;
      if (spec.kind === "config") return { eventName: "s3:ObjectCreated:Put", etag: cycle % 2 === 0 ? spec.realEtag : fresh };
      const r = i % 50;
      if (r === 0) return { eventName: "s3:ObjectRemoved:Delete" };
      if (r === 1) return { eventName: "s3:ObjectAccessed:Get", etag: fresh };
      return { eventName: "s3:ObjectCreated:Put", etag: fresh };
    };
    const queuedBody = (i: number) => ({ eventName: "s3:ObjectCreated:Put", etag: `${i.toString(16).padStart(32, "0")}` });

    // Warm-up: every key once (creates the bots rows, warms JIT, prepared statements and the pool).
    log("ingest: warm-up");
    const warmUp = (service: ServiceChild) =>
      runPhase(
        service,
        "warm-up",
        "",
        [...mixedKeys, ...queuedKeys],
        (i, s) => (s.kind === "config" ? { eventName: "s3:ObjectCreated:Put", etag: s.realEtag } : mixedBody(i, s)),
        0,
        mixedKeys.length + queuedKeys.length,
      );
    await warmUp(service);
    await new Promise((r) => setTimeout(r, 1000));

    log(`ingest: mixed phase, ${opts.durationS} s, ${opts.connections} connections`);
    const mixedDescription =
      "1,000 keys: 10 bot buckets × (config.csv, 2 prompts, 50 .bas, 43 kb files) + 40 keys in a non-bot bucket; 2% removals, 2% ObjectAccessed";
    const mixed = await runPhase(
      service,
      "mixed",
      mixedDescription,
      mixedKeys,
      mixedBody,
      opts.durationS,
    );
    await new Promise((r) => setTimeout(r, 1000));
    log(`ingest: queued phase, ${opts.queuedDurationS} s`);
    const queued = await runPhase(
      service,
      "queued",
      "250 config.csv keys in 250 bot buckets, a new ETag every request: every record queued, jobs running alongside",
      queuedKeys,
      queuedBody,
      opts.queuedDurationS,
    );

    await new Promise((r) => setTimeout(r, 1000));
    // MinIO delivers from many nodes and queues at once; a burst of connections must not turn into 503s
    // (each one is an event MinIO retries later) nor into memory.
    log(`ingest: ${opts.burstConnections} connections, ${opts.burstDurationS} s`);
    const burst = await runPhase(
      service,
      `${opts.burstConnections} connections`,
      `the mixed workload from ${opts.burstConnections} connections at once`,
      mixedKeys,
      mixedBody,
      opts.burstDurationS,
      undefined,
      opts.burstConnections,
    );

    const child = await service.finish();
    stopChild = null;

    // -------- the same code through tsx, for comparison
    let compiled: IngestThroughputResult["compiled"];
    if (opts.compiledDurationS > 0) {
      try {
        service = await startChild("tsx", ["--import", "tsx", join(ROOT, "bench/ingest-server.ts")], childEnv);
        stopChild = service.stop;
        log(`ingest: service child (tsx) pid ${service.pid}, RSS ${service.rssAtReadyMb} MB; warm-up and ${opts.compiledDurationS} s mixed phase`);
        await warmUp(service);
        await new Promise((r) => setTimeout(r, 1000));
        const phase = await runPhase(service, "mixed", mixedDescription, mixedKeys, mixedBody, opts.compiledDurationS);
        compiled = { child: await service.finish(), phase };
        stopChild = null;
      } catch (error) {
        compiled = { error: error instanceof Error ? error.message : String(error) };
      }
    }

    const measured = [mixed, queued, burst];
    const minRate = Math.min(...measured.map((p) => p.requests.perSecond));
    const peak = Math.max(child.peakRssMb, child.vmHwmMb);
    const budget = { perSecond: 2000, rssMb: 200 };
    return {
      section: "ingest-throughput",
      what: "POST /webhooks/minio with distinct MinIO bodies, autocannon in the bench process, service (job lanes running, pool 10) in a child process, real PostgreSQL, loopback",
      phases: measured,
      child,
      compiled,
      budget,
      met: {
        throughput: minRate >= budget.perSecond,
        rss: peak <= budget.rssMb,
        no_non2xx: measured.every((p) => p.requests.non2xx === 0 && p.requests.errors === 0 && p.requests.timeouts === 0),
      },
    };
  } finally {
    if (stopChild) await stopChild();
    await stopClient();
    await stopS3();
    await db.drop();
    await dir.remove();
  }
}

interface ServiceChild {
  runtime: "tsx" | "compiled";
  pid: number;
  url: string;
  webhookToken: string;
  rssAtReadyMb: number;
  /** collects the summary (RSS peak, VmHWM, memoryUsage, log counts) and stops the process */
  finish(): Promise<ChildSummary>;
  stop(): Promise<void>;
}

async function startChild(runtime: "tsx" | "compiled", args: string[], env: NodeJS.ProcessEnv): Promise<ServiceChild> {
  const child = await spawnReady<{ ready: boolean; url: string; webhookToken: string; pid: number }>(`ingest service (${runtime})`, args, env);
  const { proc, ready } = child;
  const pid = ready.pid;
  const rssAtReadyMb = procMemory(pid)?.rssMb ?? NaN;
  let peak = rssAtReadyMb;
  const sampler = setInterval(() => {
    const m = procMemory(pid);
    if (m && m.rssMb > peak) peak = m.rssMb;
  }, 100);
  const stopSampler = onCleanup("stop rss sampler", () => clearInterval(sampler));
  const stop = async () => {
    await stopSampler();
    await child.stop();
  };
  return {
    runtime,
    pid,
    url: ready.url,
    webhookToken: ready.webhookToken,
    rssAtReadyMb,
    stop,
    async finish() {
      const hwm = procMemory(pid)?.hwmMb ?? NaN;
      const stats = await childStats(proc);
      await stop();
      return {
        runtime,
        command: runtime === "tsx" ? "node --import tsx bench/ingest-server.ts" : "node dist/bench/ingest-server.mjs (bundled by esbuild like npm run build)",
        rssAtReadyMb,
        peakRssMb: peak,
        vmHwmMb: hwm,
        endMemory: stats?.memory,
        logLines: stats?.logLines,
        warnings: stats?.warnings,
      };
    },
  };
}

interface ChildStats {
  memory: NodeJS.MemoryUsage;
  logLines: Record<string, number>;
  warnings: string[];
}

async function childStats(proc: ChildProcess): Promise<ChildStats | null> {
  if (!proc.connected) return null;
  return withTimeout(
    new Promise<ChildStats>((resolve) => {
      const onMessage = (m: { stats?: ChildStats }) => {
        if (m?.stats) {
          proc.off("message", onMessage);
          resolve(m.stats);
        }
      };
      proc.on("message", onMessage);
      proc.send({ cmd: "stats" });
    }),
    5_000,
    "ingest child stats",
  ).catch(() => null);
}

function mixedKeySpace(): KeySpec[] {
  const keys: KeySpec[] = [];
  for (let b = 0; b < 10; b++) {
    const bot = `load-a${String(b).padStart(2, "0")}`;
    const bucket = `${bot}.gbai`;
    keys.push({ bucket, key: `${bot}.gbot/config.csv`, kind: "config" });
    for (let i = 0; i < 2; i++) keys.push({ bucket, key: `${bot}.gbot/prompt-${i}.md`, kind: "prompt" });
    for (let i = 0; i < 50; i++) keys.push({ bucket, key: `${bot}.gbdialog/flows/dialog ${String(i).padStart(2, "0")}.bas`, kind: "dialog" });
    for (let i = 0; i < 43; i++) keys.push({ bucket, key: `${bot}.gbkb/manuals/doc-${String(i).padStart(2, "0")}.pdf`, kind: "kb" });
  }
  for (let i = 0; i < 40; i++) keys.push({ bucket: "backups", key: `2026/07/dump-${i}.tar.gz`, kind: "foreign" });
  // Interleave so consecutive requests touch different buckets and kinds, as a bulk upload would not, but a
  // busy deployment would.
  return interleave(keys);
}

function queuedKeySpace(buckets: number): KeySpec[] {
  return Array.from({ length: buckets }, (_, b) => {
    const bot = `load-b${String(b).padStart(3, "0")}`;
    return { bucket: `${bot}.gbai`, key: `${bot}.gbot/config.csv`, kind: "config" as const };
  });
}

function interleave<T>(items: T[]): T[] {
  // deterministic shuffle (LCG)
  const out = [...items];
  let seed = 12345;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function describeIngestThroughput(r: IngestThroughputResult): string {
  const lines = ["webhook ingest throughput (service in a child process, autocannon here):"];
  for (const p of r.phases) {
    lines.push(
      `  [${p.phase}] ${p.requests.perSecond} notifications/s over ${p.durationS} s, ${p.connections} connections ` +
        `(${p.requests.total2xx} × 2xx, non-2xx ${p.requests.non2xx}, errors ${p.requests.errors}, timeouts ${p.requests.timeouts})`,
      `      latency p50 ${p.latencyMs.p50} ms, p99 ${p.latencyMs.p99} ms, max ${p.latencyMs.max} ms`,
      `      recorded ${p.recorded.events} events: ${Object.entries(p.recorded.byOutcome).map(([k, v]) => `${k} ${v}`).join(", ")}`,
      `      objects after: ${Object.entries(p.objectsAfter).map(([k, v]) => `${k} ${v}`).join(", ")}`,
      `      child RSS ${p.childRssMb.start} → peak ${p.childRssMb.peakSampled} MB; CPU (% of one core): service ${p.cpu.childPercentOfOneCore}, its PostgreSQL backends ${p.cpu.postgresBackendsPercentOfOneCore}, load generator ${p.cpu.loadGeneratorPercentOfOneCore}; machine ${p.cpu.machineBusyPercent}% busy`,
      `      CPU per notification: service ${p.cpu.serviceMsPerNotification} ms, PostgreSQL ${p.cpu.postgresMsPerNotification} ms`,
    );
  }
  lines.push(`  service (built with esbuild, as npm start runs it): RSS ${r.child.rssAtReadyMb} MB when ready (idle), peak ${r.child.peakRssMb} MB sampled, VmHWM ${r.child.vmHwmMb} MB   [budget ≥ ${r.budget.perSecond}/s, RSS ≤ ${r.budget.rssMb} MB]`);
  if (r.child.warnings?.length) lines.push(`  service warnings: ${r.child.warnings.length} (first: ${r.child.warnings[0]?.slice(0, 200)})`);
  if (r.compiled && "error" in r.compiled) lines.push(`  compiled comparison failed: ${r.compiled.error}`);
  else if (r.compiled) {
    const c = r.compiled;
    lines.push(
      `  comparison, the same code through tsx (npm run dev): RSS ${c.child.rssAtReadyMb} MB when ready, peak ${c.child.peakRssMb} MB (VmHWM ${c.child.vmHwmMb}); ` +
        `mixed phase ${c.phase.requests.perSecond} notifications/s over ${c.phase.durationS} s, p99 ${c.phase.latencyMs.p99} ms, non-2xx ${c.phase.requests.non2xx}, ` +
        `service CPU ${c.phase.cpu.serviceMsPerNotification} ms per notification`,
    );
  }
  return lines.join("\n");
}
