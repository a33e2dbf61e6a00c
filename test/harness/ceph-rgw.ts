/**
 * "A real S3 server that pushes events": a one-node Ceph (one monitor, one OSD keeping everything in RAM,
 * one RADOS Gateway with the civetweb front end) on loopback, in a temp dir of its own, with an S3 user of
 * known keys. radosgw is a different implementation from MinIO with its own event format, so it is the
 * honest test of "any S3 server that pushes bucket notifications".
 *
 *   describe.skipIf(!cephAvailable())("…", () => { … startCephRgw() … })
 *
 * Plain Node scripts (the bench) use withCephRgw(fn), or run this file: `tsx test/harness/ceph-rgw.ts`
 * prints the endpoint and keys and keeps the server up until Ctrl-C.
 *
 * Every start has its own fsid, ports, pid files and directory, so several test files can each start one
 * at the same time. stop() SIGKILLs the three daemons by their pid files and removes the directory; a
 * process that exits without calling stop() still kills them (exit handler).
 *
 * Settings, and why (Ceph 16.2 "pacific", the Debian 12 packages):
 * - auth "none": no keyrings to manage; `ms_mon_client_mode = crc` for clients, or radosgw insists on an
 *   encrypted monitor session and loops on "get_initial_auth_request returned -13".
 * - memstore OSD of at most 1 GiB, pool size 1, 8 PGs, autoscale off: one OSD, no disk set-up.
 * - `paxos_propose_interval = 0.01`: every pool creation otherwise waits ≈ 1 s (start-up ≈ 14 s → ≈ 2 s).
 * - the seven rgw pools are created up front, or the first bucket and the first multipart upload each
 *   stall ≈ 2 s while radosgw creates them.
 * - civetweb, not the default beast front end: 16.2.15's beast aborts on DeleteObjects in a bucket that
 *   has notifications.
 * - `rgw_curl_low_speed_time = 5`: a push endpoint that never answers would otherwise hold radosgw's
 *   request (or its persistent queue) for up to 300 s.
 * - `mon_data_avail_crit = 1`: the monitor otherwise shuts down below 5 % free disk.
 * - loopback only: IPv4, `public_addr = 127.0.0.1`.
 *
 * Persistent topics are drained only some 30 s after radosgw starts: see QUEUE_LISTING_PERIOD_MS.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { accessSync, constants, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { get as httpGet } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import { eventually } from "./eventually.js";

export interface CephRgw {
  /** http://127.0.0.1:PORT — S3 (path-style) and the SNS topic API */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** any signing region is accepted; this one also suits SDKs that treat us-east-1 specially */
  region: string;
  /** the temp dir holding config, logs and pid files (removed by stop()) */
  dir: string;
  /** how long start-up took, in ms */
  startupMs: number;
  /**
   * When radosgw first looks for persistent-topic queues (epoch ms, upper bound): topics created before
   * then deliver from then on; later ones wait for the next 30 s mark (see QUEUE_LISTING_PERIOD_MS).
   */
  queuesListedAt: number;
  /** the last lines of the three daemons' logs, for failure messages */
  logTail(lines?: number): Promise<string>;
  /** kills the daemons and removes the directory; safe to call twice */
  stop(): Promise<void>;
}

/** A plain S3 client for radosgw: path-style, and checksums only where S3 requires them (streamed bodies). */
export function cephS3Client(ceph: Pick<CephRgw, "endpoint" | "region" | "accessKeyId" | "secretAccessKey">): S3Client {
  return new S3Client({
    endpoint: ceph.endpoint,
    region: ceph.region,
    forcePathStyle: true,
    credentials: { accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey },
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
}

export interface CephRgwOptions {
  /** default: generated */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** where the temp dir is created (default: the OS temp dir) */
  parentDir?: string;
}

/**
 * Persistent topics in 16.2.15 (measured; the tests and the bench depend on it): radosgw drains a
 * persistent topic's queue only once it owns it, and it looks for queues to own first 30 s (+ ≤ 0.5 s
 * jitter) after it starts and then every 30 s — a fixed period in this release. Until then events are
 * kept, not lost, and after that each one is POSTed ≈ 70–115 ms after its S3 request (the queue is polled
 * every 100 ms). So:
 * - creating the topic before the first upload does not by itself avoid the wait: a topic created before
 *   `queuesListedAt` is picked up at that moment, one created later at the next 30 s mark;
 * - restarting radosgw does not help either (the 30 s count starts again, and the dead process's lock on
 *   the queue is only given up after 20 s);
 * - a non-persistent topic has no queue: it POSTs before the S3 request returns, ≈ 5–10 ms, and drops the
 *   event when the POST fails — a warm-up through one does nothing for a persistent topic.
 * Tests that need prompt persistent delivery subscribe right after start-up (well before
 * `queuesListedAt`), then wait for one warm-up event; that costs ≈ 30 s once per Ceph, not per event.
 */
export const QUEUE_LISTING_PERIOD_MS = 30_000;

const BINARIES = ["monmaptool", "ceph-mon", "ceph-osd", "ceph", "radosgw", "radosgw-admin"] as const;

/** The rgw pools, created up front (see above). */
const RGW_POOLS = [
  ".rgw.root",
  "default.rgw.log",
  "default.rgw.control",
  "default.rgw.meta",
  "default.rgw.buckets.index",
  "default.rgw.buckets.data",
  "default.rgw.buckets.non-ec",
];

const RGW_NAME = "client.rgw.botsync";
const STEP_TIMEOUT_MS = 20_000;
const START_TIMEOUT_MS = 30_000;

function onPath(binary: string): boolean {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, binary), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** The binaries that are missing (empty when Ceph can run here). */
export function missingCephBinaries(): string[] {
  return BINARIES.filter((b) => !onPath(b));
}

/** True when the Ceph daemons and tools are installed (Debian: radosgw, ceph-mon, ceph-osd). */
export function cephAvailable(): boolean {
  return missingCephBinaries().length === 0;
}

/** Why Ceph tests are skipped, for describe.skipIf messages and logs. */
export function cephSkipReason(): string {
  const missing = missingCephBinaries();
  return missing.length === 0
    ? ""
    : `Ceph is not installed (missing ${missing.join(", ")}): install the Debian packages radosgw, ceph-mon and ceph-osd (.ci/run does)`;
}

/** A loopback port that was free when asked (for a service whose URL must be known before it starts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Distinct free loopback ports (asked of the kernel one after the other, so they cannot repeat). */
async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

interface RunResult {
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise<RunResult>((resolve, reject) => {
    const child = execFile(
      command,
      args,
      { timeout: options.timeoutMs ?? STEP_TIMEOUT_MS, killSignal: "SIGKILL", maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const how = error.killed ? `timed out after ${options.timeoutMs ?? STEP_TIMEOUT_MS} ms` : `exit ${String(error.code)}`;
          const shown = args.map((a) => (a.length > 60 || a.includes("\n") ? `${a.replace(/\s+/g, " ").slice(0, 40)}…` : a)).join(" ");
          reject(new Error(`${command} ${shown}: ${how}\n${stderr.trim()}\n${stdout.trim()}`.trim()));
        } else resolve({ stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

function cephConf(p: { dir: string; fsid: string; monV2: number; monV1: number; rgwPort: number }): string {
  const { dir } = p;
  return `[global]
fsid = ${p.fsid}
mon_host = [v2:127.0.0.1:${p.monV2},v1:127.0.0.1:${p.monV1}]
public_addr = 127.0.0.1
ms_bind_ipv4 = true
ms_bind_ipv6 = false
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
keyring = /dev/null
run_dir = ${dir}/run
admin_socket = ${dir}/run/$name.asok
pid_file = ${dir}/run/$name.pid
log_file = ${dir}/log/$name.log
mon_cluster_log_file = ${dir}/log/cluster.log
crash_dir = ${dir}/crash
mon_data = ${dir}/mon/$id
osd_data = ${dir}/osd/$id
osd_objectstore = memstore
memstore_device_bytes = 1073741824
osd_pool_default_size = 1
osd_pool_default_min_size = 1
mon_allow_pool_size_one = true
osd_crush_chooseleaf_type = 0
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
mon_data_avail_crit = 1

[mon]
paxos_propose_interval = 0.01

[client]
ms_mon_client_mode = crc

[${RGW_NAME}]
rgw_frontends = civetweb port=127.0.0.1:${p.rgwPort}
rgw_curl_low_speed_time = 5
rgw_data = ${dir}/rgw
`;
}

/**
 * Sends monitor commands through librados from the Python the `ceph` tool itself runs on (its shebang;
 * python3-rados comes with it). The `ceph` tool would do the same but spends ≈ 70 ms of Python per command
 * validating it against every command signature: 15 commands took ≈ 1.2 s that way, ≈ 0.4 s this way.
 * Throws on the first command the monitor refuses.
 */
async function monCommands(conf: string, commands: Array<Record<string, unknown>>): Promise<Array<{ prefix: string; out: string; status: string }>> {
  const python = cephPython();
  const driver = [
    "import json, sys, rados",
    "c = rados.Rados(conffile=sys.argv[1])",
    "c.connect(timeout=15)",
    "for cmd in json.load(sys.stdin):",
    "    ret, out, status = c.mon_command(json.dumps(cmd), b'', timeout=15)",
    "    print(json.dumps({'prefix': cmd['prefix'], 'ret': ret, 'out': out.decode(), 'status': status}), flush=True)",
    "    if ret != 0: sys.exit(1)",
    "c.shutdown()",
  ].join("\n");
  let result: RunResult;
  try {
    result = await run(python, ["-c", driver, conf], { input: JSON.stringify(commands) });
  } catch (error) {
    throw new Error(`monitor commands failed: ${(error as Error).message}`, { cause: error });
  }
  return result.stdout.trim().split("\n").map((line) => JSON.parse(line) as { prefix: string; out: string; status: string });
}

function cephPython(): string {
  const ceph = (process.env.PATH ?? "").split(delimiter).map((d) => join(d, "ceph")).find((f) => {
    try {
      accessSync(f, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  const shebang = ceph ? readFileSync(ceph, "utf8").split("\n", 1)[0]! : "";
  const match = /^#!\s*(\S+)/.exec(shebang);
  return match ? match[1]! : "python3";
}

/** pids of live daemons of every cluster this process started, killed on exit if stop() was not called */
const liveDaemons = new Map<string, () => number[]>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const pids of liveDaemons.values()) for (const pid of pids()) killQuietly(pid);
  });
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** True while the process exists and is not a zombie (daemons are reparented; nobody may reap them). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Returns once the processes are gone, or after `timeoutMs` (the caller then kills them harder). */
async function waitUntilGone(pids: number[], timeoutMs: number): Promise<void> {
  await eventually(
    () => {
      if (pids.some(alive)) throw new Error("still running");
    },
    { timeoutMs },
  ).catch(() => undefined);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function tail(file: string, lines: number): Promise<string> {
  try {
    const text = await readFile(file, "utf8");
    return text.split("\n").slice(-lines - 1).join("\n").trimEnd();
  } catch {
    return "(no log)";
  }
}

/** One anonymous ListBuckets on a fresh connection; its duration in ms, or an error text. */
function probe(endpoint: string): Promise<number | string> {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = httpGet(endpoint, { agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode !== undefined && res.statusCode < 500 ? performance.now() - started : `HTTP ${res.statusCode}`));
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", (error) => resolve(error.message));
  });
}

/**
 * Returns once radosgw answers promptly. Right after it forks, radosgw sometimes answers the first request
 * and then holds the next ones for ≈ 1 s while it finishes starting; a test would see that as a slow first
 * S3 or topic call. So this waits for a few consecutive prompt answers.
 */
async function waitForHttp(endpoint: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = "";
  let prompt = 0;
  while (Date.now() < until) {
    const result = await probe(endpoint);
    if (typeof result === "number" && result < 100) {
      if (++prompt === 3) return;
      continue;
    }
    prompt = 0;
    last = typeof result === "number" ? `answered in ${Math.round(result)} ms` : result;
    if (typeof result === "string") await sleep(25);
  }
  throw new Error(`radosgw did not answer on ${endpoint} within ${timeoutMs} ms (${last})`);
}

/** Starts a one-node Ceph with radosgw. Throws with the daemons' log tails when it does not come up. */
export async function startCephRgw(options: CephRgwOptions = {}): Promise<CephRgw> {
  if (!cephAvailable()) throw new Error(cephSkipReason());
  const started = performance.now();
  try {
    return await startOnce(options, started);
  } catch (error) {
    // The free ports are only free when asked for; another process may take one before Ceph binds it.
    if (!/Address already in use|EADDRINUSE/i.test((error as Error).message)) throw error;
    return startOnce(options, started);
  }
}

async function startOnce(options: CephRgwOptions, started: number): Promise<CephRgw> {
  const dir = await mkdtemp(join(options.parentDir ?? tmpdir(), "botsync-ceph-"));
  const [monV2, monV1, rgwPort] = (await freePorts(3)) as [number, number, number];
  const fsid = randomUUID();
  const conf = join(dir, "ceph.conf");
  const endpoint = `http://127.0.0.1:${rgwPort}`;
  const accessKeyId = options.accessKeyId ?? `BOTSYNC${randomBytes(6).toString("hex").toUpperCase()}`;
  const secretAccessKey = options.secretAccessKey ?? randomBytes(24).toString("base64url");
  const pidFiles = ["mon.a", "osd.0", RGW_NAME].map((n) => join(dir, "run", `${n}.pid`));
  const pidsNow = () =>
    pidFiles.flatMap((f) => {
      try {
        const pid = Number.parseInt(readFileSync(f, "utf8").trim(), 10);
        return Number.isSafeInteger(pid) && pid > 0 ? [pid] : [];
      } catch {
        return [];
      }
    });
  installExitHook();
  liveDaemons.set(dir, pidsNow);

  let stopped = false;
  const logTail = async (lines = 25) => {
    const logDir = join(dir, "log");
    const files = (await readdir(logDir).catch(() => [] as string[])).filter((f) => f.endsWith(".log")).sort();
    const parts = await Promise.all(files.map(async (f) => `--- ${f}\n${await tail(join(logDir, f), lines)}`));
    return parts.join("\n") || "(no logs)";
  };
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const pids = pidsNow();
    // In-RAM store, throw-away cluster: SIGKILL is the fastest reliable stop.
    for (const pid of pids) killQuietly(pid);
    await waitUntilGone(pids, 5_000);
    liveDaemons.delete(dir);
    await rm(dir, { recursive: true, force: true });
  };
  let gatewayStartedAt = 0;

  try {
    await Promise.all(["run", "log", "crash", "mon/a", "osd/0", "rgw"].map((d) => mkdir(join(dir, d), { recursive: true })));
    await writeFile(conf, cephConf({ dir, fsid, monV2, monV1, rgwPort }));
    const monmap = join(dir, "monmap");
    await run("monmaptool", ["--create", "--fsid", fsid, "--addv", "a", `[v2:127.0.0.1:${monV2},v1:127.0.0.1:${monV1}]`, monmap]);
    await run("ceph-mon", ["-c", conf, "--mkfs", "-i", "a", "--monmap", monmap]);
    await run("ceph-mon", ["-c", conf, "-i", "a"]);

    // The OSD's id, then the pools, through librados in one process; the OSD's store is made meanwhile.
    const osdUuid = randomUUID();
    const [replies] = await Promise.all([
      monCommands(conf, [
        { prefix: "osd new", uuid: osdUuid },
        ...RGW_POOLS.flatMap((pool) => [
          { prefix: "osd pool create", pool, pg_num: 8, pgp_num: 8 },
          { prefix: "osd pool application enable", pool, app: "rgw", yes_i_really_mean_it: true },
        ]),
      ]),
      run("ceph-osd", ["-c", conf, "-i", "0", "--mkfs", "--osd-uuid", osdUuid]),
    ]);
    if (replies[0]?.out.trim() !== "0") throw new Error(`osd new did not return id 0: ${JSON.stringify(replies[0])}`);
    await run("ceph-osd", ["-c", conf, "-i", "0"]);
    // radosgw waits for the OSD itself; the user is written straight to RADOS meanwhile.
    gatewayStartedAt = Date.now();
    await Promise.all([
      run("radosgw", ["-c", conf, "-n", RGW_NAME]).then(() => waitForHttp(endpoint, START_TIMEOUT_MS)),
      run("radosgw-admin", [
        "-c", conf, "user", "create", "--uid=botsync", "--display-name=botsync",
        `--access-key=${accessKeyId}`, `--secret-key=${secretAccessKey}`,
      ]),
    ]);
  } catch (error) {
    const logs = await logTail();
    await stop();
    throw new Error(`Ceph did not come up in ${dir}: ${(error as Error).message}\n${logs}`, { cause: error });
  }

  return {
    endpoint,
    accessKeyId,
    secretAccessKey,
    region: "us-east-1",
    dir,
    startupMs: Math.round(performance.now() - started),
    queuesListedAt: gatewayStartedAt + QUEUE_LISTING_PERIOD_MS + 500,
    logTail,
    stop,
  };
}

/** Runs `fn` with a Ceph started for it and always stops it — also on Ctrl-C — for plain Node scripts. */
export async function withCephRgw<T>(fn: (ceph: CephRgw) => Promise<T>, options: CephRgwOptions = {}): Promise<T> {
  const ceph = await startCephRgw(options);
  const onSignal = (signal: NodeJS.Signals) => {
    void ceph.stop().finally(() => process.kill(process.pid, signal));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    return await fn(ceph);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await ceph.stop();
  }
}

// `tsx test/harness/ceph-rgw.ts`: a Ceph for manual use, until Ctrl-C.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await withCephRgw(async (ceph) => {
    process.stdout.write(
      `Ceph radosgw up in ${ceph.startupMs} ms (${ceph.dir})\nS3_ENDPOINT=${ceph.endpoint}\nS3_ACCESS_KEY=${ceph.accessKeyId}\n` +
        `S3_SECRET_KEY=${ceph.secretAccessKey}\nS3_REGION=${ceph.region}\nCtrl-C stops it.\n`,
    );
    // A timer keeps the event loop (and so the server) alive until the signal handler stops it.
    await new Promise<never>(() => setInterval(() => {}, 1 << 30));
  });
}

