/**
 * Shared helpers for `npm run bench`: percentiles, a cleanup registry that also runs on SIGINT/SIGTERM,
 * a fresh PostgreSQL database per section, config.csv generation, machine facts.
 */
import postgres from "postgres";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir, cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { S3Client, CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { S3Drive } from "../src/adapters/drive/s3-drive.js";

/** the project root (bench/..) */
export const BENCH_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

export const WEBHOOK_TOKEN = "bench-webhook-token-0123456789";
export const API_TOKEN = "bench-api-token-0123456789abcdef";

/** Superuser URL of the local server (trust auth), as the tests use it. */
export function adminUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
}

// ---------------------------------------------------------------------------------------------------------
// cleanup

type Cleanup = { name: string; fn: () => Promise<void> | void };
const cleanups: Cleanup[] = [];

/** Registers a cleanup step; returns a function that runs it now (and unregisters it). */
export function onCleanup(name: string, fn: () => Promise<void> | void): () => Promise<void> {
  const entry: Cleanup = { name, fn };
  cleanups.push(entry);
  return async () => {
    const i = cleanups.indexOf(entry);
    if (i < 0) return;
    cleanups.splice(i, 1);
    await runStep(entry);
  };
}

async function runStep(entry: Cleanup): Promise<void> {
  try {
    await withTimeout(Promise.resolve().then(entry.fn), 15_000, `cleanup "${entry.name}"`);
  } catch (error) {
    process.stderr.write(`bench: cleanup "${entry.name}" failed: ${(error as Error).message}\n`);
  }
}

/** Runs every registered cleanup, newest first. */
export async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) await runStep(cleanups.pop()!);
}

let signalled = false;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (signalled) process.exit(130);
    signalled = true;
    process.stderr.write(`\nbench: ${signal}, cleaning up…\n`);
    void runCleanups().finally(() => process.exit(130));
  });
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}

// ---------------------------------------------------------------------------------------------------------
// databases and temp dirs

export interface BenchDatabase {
  name: string;
  url: string;
  /** a superuser connection to the bench database itself (inspection; not counted anywhere) */
  observer: postgres.Sql;
  drop(): Promise<void>;
}

/** `botsync_bench_<random>`, dropped by drop() or by the cleanup registry. Not migrated: the service does it. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {}, connect_timeout: 5 });
  const name = `botsync_bench_${randomBytes(5).toString("hex")}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const observer = postgres(url.toString(), { max: 1, onnotice: () => {} });
  const drop = onCleanup(`drop database ${name}`, async () => {
    await observer.end({ timeout: 1 }).catch(() => {});
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 1 });
  });
  return { name, url: url.toString(), observer, drop };
}

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `botsync-bench-${prefix}-`));
  const remove = onCleanup(`rm ${path}`, () => rm(path, { recursive: true, force: true }));
  return { path, remove };
}

// ---------------------------------------------------------------------------------------------------------
// S3

export function s3Client(endpoint: string, accessKeyId: string, secretAccessKey: string): S3Client {
  return new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
}

export function unquote(etag: string | undefined): string {
  return (etag ?? "").replace(/^"|"$/g, "");
}

export async function createBucket(client: S3Client, bucket: string): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
}

export async function putObject(client: S3Client, bucket: string, key: string, body: string, contentType = "text/plain"): Promise<string> {
  const out = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  return unquote(out.ETag);
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return results;
}

// ---------------------------------------------------------------------------------------------------------
// data

/** A realistic 50-key config.csv (the botserver's `name,value` header, a comment, typed values). */
export function configCsv(iteration: number, keys = 50): string {
  const lines = ["name,value", "# generated by npm run bench"];
  lines.push(`bench-iteration,${iteration}`);
  const templates = [
    (i: number) => `llm-model-${i},gpt-4o-mini`,
    (i: number) => `max-tokens-${i},${1000 + i}`,
    (i: number) => `temperature-${i},0.${i % 10}`,
    (i: number) => `feature-${i}-enabled,${i % 2 === 0 ? "true" : "false"}`,
    (i: number) => `greeting-${i},"Hello, this is bot message number ${i}"`,
    (i: number) => `webhook-url-${i},https://example.invalid/hooks/${i}`,
  ];
  for (let i = 1; i < keys; i++) lines.push(templates[i % templates.length]!(i));
  return lines.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------------------
// statistics

/** Nearest-rank percentile of an ascending-sorted array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface Summary {
  n: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    min: round(sorted[0] ?? NaN),
    mean: round(sum / sorted.length),
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

// ---------------------------------------------------------------------------------------------------------
// machine

/** The commit measured, and how many files differ from it (read-only git; no index refresh). */
export function sourceRevision(): { commit: string; uncommittedFiles: number } | null {
  try {
    const env = { ...process.env, GIT_OPTIONAL_LOCKS: "0" };
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: BENCH_ROOT, env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const status = execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: BENCH_ROOT, env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return { commit, uncommittedFiles: status.split("\n").filter((l) => l.trim() !== "").length };
  } catch {
    return null;
  }
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  node: string;
  postgres: string;
  platform: string;
  memTotalMb: number;
  date: string;
}

export async function machineInfo(): Promise<MachineInfo> {
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const [row] = await admin<{ v: string }[]>`select version() as v`;
    const meminfo = safeRead("/proc/meminfo");
    const memKb = Number(/MemTotal:\s+(\d+)/.exec(meminfo)?.[1] ?? 0);
    return {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      node: process.version,
      postgres: row?.v ?? "unknown",
      platform: `${process.platform} ${process.arch}`,
      memTotalMb: Math.round(memKb / 1024),
      date: new Date().toISOString(),
    };
  } finally {
    await admin.end({ timeout: 1 });
  }
}

export function safeRead(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** VmRSS / VmHWM of a process, in MiB (Linux /proc). */
export function procMemory(pid: number): { rssMb: number; hwmMb: number } | null {
  const status = safeRead(`/proc/${pid}/status`);
  if (!status) return null;
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rssMb: round(kb("VmRSS") / 1024, 1), hwmMb: round(kb("VmHWM") / 1024, 1) };
}

/** utime+stime of a process in seconds (Linux /proc). */
export function procCpuSeconds(pid: number): number {
  const stat = safeRead(`/proc/${pid}/stat`);
  if (!stat) return NaN;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // after "pid (comm) ", field 3 is state; utime is field 14 and stime 15 overall → index 11 and 12 here
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Busy fraction of all CPUs between two /proc/stat readings. */
export function cpuTimes(): { busy: number; total: number } {
  const line = safeRead("/proc/stat").split("\n")[0] ?? "";
  const nums = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (nums[3] ?? 0) + (nums[4] ?? 0);
  const total = nums.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export function busyPercent(a: { busy: number; total: number }, b: { busy: number; total: number }): number {
  const total = b.total - a.total;
  return total > 0 ? round((100 * (b.busy - a.busy)) / total, 1) : NaN;
}

export interface Load {
  /** share of all CPUs busy over one second */
  busyPercent: number;
  loadavg: number[];
}

/** How busy the machine is right now (one second of /proc/stat), printed next to every figure. */
export async function sampleLoad(): Promise<Load> {
  const a = cpuTimes();
  await new Promise((r) => setTimeout(r, 1000));
  return { busyPercent: busyPercent(a, cpuTimes()), loadavg: loadavg().map((x) => round(x, 2)) };
}

export function log(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// child processes

export interface ReadyChild<T> {
  proc: ChildProcess;
  ready: T;
  /** stops the process (IPC "stop" or disconnect, then SIGTERM, then SIGKILL) and unregisters the cleanup */
  stop(): Promise<void>;
}

/**
 * Spawns `node …args` with an IPC channel and waits for its first stdout line that is JSON. The process is
 * registered for cleanup at once, so it is stopped even if the bench fails before it is ready.
 */
export async function spawnReady<T>(name: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 30_000): Promise<ReadyChild<T>> {
  const proc = spawn(process.execPath, args, { cwd: BENCH_ROOT, stdio: ["ignore", "pipe", "pipe", "ipc"], env });
  const stop = onCleanup(`stop ${name} (pid ${proc.pid})`, () => stopProcess(proc));
  try {
    let stderr = "";
    proc.stderr!.on("data", (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-4000);
    });
    const exited = once(proc, "exit");
    const lines = createInterface({ input: proc.stdout! });
    const ready = await withTimeout(
      Promise.race([
        (async () => {
          for await (const line of lines) {
            if (line.startsWith("{")) return JSON.parse(line) as T;
          }
          throw new Error(`${name} closed stdout before it was ready: ${stderr}`);
        })(),
        exited.then(([code]) => {
          throw new Error(`${name} exited with ${code} before it was ready: ${stderr}`);
        }),
      ]),
      timeoutMs,
      `${name} start`,
    );
    // keep draining stdout so the child never blocks on a full pipe
    proc.stdout!.resume();
    return { proc, ready, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = once(proc, "exit");
  if (proc.connected) {
    proc.send({ cmd: "stop" });
  } else proc.kill("SIGTERM");
  try {
    await withTimeout(exited, 5_000, "child stop");
  } catch {
    proc.kill("SIGTERM");
    try {
      await withTimeout(exited, 3_000, "child SIGTERM");
    } catch {
      proc.kill("SIGKILL");
      await exited;
    }
  }
}

/** The environment a bench service runs with: the bench database, the s3rver process, the bench tokens. */
export function serviceEnv(db: { url: string }, s3: { endpoint: string; accessKeyId: string; secretAccessKey: string }, dataDir: string): Record<string, string> {
  return {
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: db.url,
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY: s3.accessKeyId,
    S3_SECRET_KEY: s3.secretAccessKey,
    WEBHOOK_TOKEN,
    API_TOKEN,
    DATA_DIR: dataDir,
  };
}

export interface S3Process {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  pid: number;
  close(): Promise<void>;
}

/** s3rver in its own process (bench/s3-server.ts), storing into `directory`. */
export async function startS3Process(directory: string): Promise<S3Process> {
  const child = await spawnReady<{ endpoint: string; accessKeyId: string; secretAccessKey: string; pid: number }>("s3rver process", [
    "--import",
    "tsx",
    join(BENCH_ROOT, "bench/s3-server.ts"),
    directory,
  ]);
  return { ...child.ready, close: child.stop };
}

// ---------------------------------------------------------------------------------------------------------
// the drive

/**
 * An S3Drive with fixed keys. The options are given in both shapes S3Drive has had (flat keys, and the
 * `credentials` object that came with Vault support), so the bench runs against either.
 */
export function makeS3Drive(endpoint: string, accessKeyId: string, secretAccessKey: string): S3Drive {
  const options = { endpoint, region: "us-east-1", credentials: { accessKeyId, secretAccessKey }, accessKeyId, secretAccessKey };
  return new S3Drive(options as unknown as ConstructorParameters<typeof S3Drive>[0]);
}
