/**
 * Section 3 — one reconcile tick over 100 buckets × 100 unchanged objects.
 *
 * Built from the same parts composeBotsync uses (PgReconcileStore, S3Drive, reconcile()), not through
 * startNodeService, so that:
 *   - the postgres.js client has a `debug` callback that counts and classifies every statement;
 *   - the pool has ONE connection (the tick runs on one reserved connection anyway), so
 *     pg_stat_force_next_flush() on it makes pg_stat_user_tables exact before and after the measured ticks;
 *   - the Drive is wrapped to time listBuckets/listObjects, because s3rver's listing is not MinIO's;
 *   - the service's object kinds (config, dialog, kb) classify the keys, so all 100 objects of a bucket are
 *     tracked; no job runs here (reconcile only asks which kind an object is).
 * Flow: tick 1 inserts the rows; one UPDATE marks them all synced; warm-up ticks; measured ticks.
 */
import postgres from "postgres";
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Drive, DriveObject, DriveObjectInfo } from "../src/core/ports/drive.js";
import { reconcile, type ReconcileDeps, type ReconcileReport } from "../src/core/reconcile/reconcile.js";
import { productionKinds } from "../test/harness/kinds.js";
import { PgReconcileStore } from "../src/adapters/db/reconcile-store.js";
import { migrate } from "../src/adapters/db/migrate.js";
import { JsonLogger } from "../src/adapters/log/json-logger.js";
import { startCannedS3 } from "./canned-s3.js";
import {
  configCsv,
  createBenchDatabase,
  createBucket,
  log,
  makeS3Drive,
  procCpuSeconds,
  mapLimit,
  onCleanup,
  putObject,
  round,
  s3Client,
  startS3Process,
  summarize,
  tempDir,
  type Summary,
} from "./lib.js";

export interface ReconcileTickResult {
  section: "reconcile-tick";
  what: string;
  buckets: number;
  objectsPerBucket: number;
  trackedPerBucket: number;
  kinds: string[];
  populate: { objects: number; seconds: number; via: string };
  firstTick: { ms: number; queued: number; writeStatements: number; statements: number };
  markSynced: { rows: number };
  warmupTicks: number;
  measuredTicks: number;
  tickMs: { total: Summary; driveListing: Summary; excludingDriveListing: Summary };
  /** the same ticks with S3Drive pointed at a server that answers from precomputed XML (bench/canned-s3.ts) */
  cannedListing?: {
    ticks: number;
    total: Summary;
    driveListing: Summary;
    excludingDriveListing: Summary;
    writeStatementsPerTick: number;
    queuedPerTick: number;
    /** CPU of this process per tick (reconcile code, AWS SDK client, postgres.js, the canned server's writes) */
    benchProcessCpuMs: Summary;
    benchProcessCpuDuringListingMs: Summary;
  };
  /**
   * CPU per measured tick, independent of how busy the machine is: this process (reconcile code, AWS SDK client
   * incl. XML parsing, postgres.js; s3rver runs in another process) and the tick's PostgreSQL backend.
   */
  cpuPerTickMs: { benchProcess: Summary; benchProcessDuringListing: Summary; postgresBackend: Summary };
  queriesPerTick: { min: number; max: number; perBucket: number; byStatement: Array<{ statement: string; perTick: number }> };
  writeStatementsPerTick: { max: number; total: number };
  queuedPerTick: { max: number };
  rowsChanged: { method: string; inserted: number; updated: number; deleted: number; total: number } | { method: string; unavailable: string };
  budget: { ms: number; writes: number; queriesPerBucket: number };
  met: { timeTotal: boolean; timeExcludingListing: boolean; noWrites: boolean; queriesPerBucket: boolean };
}

const WRITE_RE = /\b(insert\s+into|update\s+[\w."]+(\s+\w+)?\s+set|delete\s+from|merge\s+into|truncate)\b/i;

export async function benchReconcileTick(opts: {
  buckets: number;
  objectsPerBucket: number;
  warmupTicks: number;
  ticks: number;
  /** extra ticks against the canned-listing endpoint; 0 = skip */
  cannedTicks: number;
  /** "api": every object through PutObject; "disk" (default): the first bucket through the API, the rest on disk */
  populate?: "api" | "disk";
}): Promise<ReconcileTickResult> {
  const db = await createBenchDatabase();
  const dir = await tempDir("reconcile");
  const s3Dir = join(dir.path, "s3");
  const s3 = await startS3Process(s3Dir);
  const stopS3 = s3.close;
  const client = s3Client(s3.endpoint, s3.accessKeyId, s3.secretAccessKey);
  const stopClient = onCleanup("destroy s3 client (reconcile)", () => client.destroy());

  // Statement counting: on while `counting`, classified by the SQL text.
  let counting = false;
  let statements = 0;
  let writes = 0;
  const byStatement = new Map<string, number>();
  const sql = postgres(db.url, {
    max: 1,
    connect_timeout: 5,
    onnotice: () => {},
    connection: { application_name: "botsync-bench-reconcile", statement_timeout: 60_000 },
    debug: (_connection, query) => {
      if (!counting) return;
      statements++;
      const isWrite = WRITE_RE.test(query);
      if (isWrite) writes++;
      const label = query.replace(/\s+/g, " ").trim().slice(0, 70);
      byStatement.set(label, (byStatement.get(label) ?? 0) + 1);
    },
  });
  const stopSql = onCleanup("close reconcile sql", () => sql.end({ timeout: 1 }));

  const drive = makeS3Drive(s3.endpoint, s3.accessKeyId, s3.secretAccessKey);
  const stopDrive = onCleanup("destroy drive", () => drive.destroy());
  let listingMs = 0;
  let listingCpuMs = 0;
  const cpuNow = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const lastListing = new Map<string, DriveObjectInfo[]>();
  const timed = (inner: Drive, record: boolean): Drive => ({
    async listBuckets() {
      const t = performance.now();
      const c = cpuNow();
      try {
        return await inner.listBuckets();
      } finally {
        listingMs += performance.now() - t;
        listingCpuMs += cpuNow() - c;
      }
    },
    async listObjects(bucket: string): Promise<DriveObjectInfo[]> {
      const t = performance.now();
      const c = cpuNow();
      try {
        const objects = await inner.listObjects(bucket);
        if (record) lastListing.set(bucket, objects);
        return objects;
      } finally {
        listingMs += performance.now() - t;
        listingCpuMs += cpuNow() - c;
      }
    },
    getObject: (bucket: string, key: string, maxBytes: number): Promise<DriveObject | null> => inner.getObject(bucket, key, maxBytes),
    bucketExists: (bucket: string) => inner.bucketExists(bucket),
    check: () => inner.check(),
  });
  const timedDrive = timed(drive, true);

  // Reconcile only classifies keys and writes drive_files rows: no job runs here.
  const kinds = productionKinds();
  const warnings: string[] = [];
  const deps: ReconcileDeps = {
    drive: timedDrive,
    store: new PgReconcileStore(sql),
    kinds,
    loadOnly: null,
    log: new JsonLogger({ component: "reconcile" }, "info", (level, line) => {
      if (level === "warn" || level === "error") warnings.push(line);
    }),
  };

  try {
    await migrate(sql);

    // -------- populate s3rver through the S3 API
    const objects: Array<{ bucket: string; key: string; body: string }> = [];
    const bucketNames: string[] = [];
    for (let b = 0; b < opts.buckets; b++) {
      const bot = `b${String(b).padStart(3, "0")}`;
      const bucket = `${bot}.gbai`;
      bucketNames.push(bucket);
      objects.push({ bucket, key: `${bot}.gbot/config.csv`, body: configCsv(b) });
      const others = opts.objectsPerBucket - 1;
      const dialogs = Math.ceil(others / 2);
      for (let i = 0; i < dialogs; i++) {
        objects.push({ bucket, key: `${bot}.gbdialog/dialog-${String(i).padStart(2, "0")}.bas`, body: `TALK "hello from ${bot} dialog ${i}"\n` });
      }
      for (let i = 0; i < others - dialogs; i++) {
        objects.push({ bucket, key: `${bot}.gbkb/docs/doc-${String(i).padStart(2, "0")}.txt`, body: `knowledge ${bot} ${i}\n`.repeat(4) });
      }
    }
    // The first bucket always goes through the S3 API. The rest too with --populate=api; by default they are
    // written straight into s3rver's directory in its on-disk format (object, .md5, metadata.json), because
    // 10,000 PutObjects take ~30 s on a 2-core machine; one of them is then listed back through the API and
    // its ETags checked.
    const p0 = performance.now();
    const viaApi = opts.populate === "api" ? objects : objects.filter((o) => o.bucket === bucketNames[0]);
    const onDisk = opts.populate === "api" ? [] : objects.filter((o) => o.bucket !== bucketNames[0]);
    log(`reconcile: ${viaApi.length} objects through the S3 API${onDisk.length ? `, ${onDisk.length} straight into s3rver's directory` : ""}`);
    await mapLimit(opts.populate === "api" ? bucketNames : bucketNames.slice(0, 1), 8, (bucket) => createBucket(client, bucket));
    await mapLimit(viaApi, 16, (o) => putObject(client, o.bucket, o.key, o.body));
    const apiS = (performance.now() - p0) / 1000;
    if (onDisk.length > 0) {
      await mapLimit(onDisk, 32, (o) => writeS3rverObject(s3Dir, o.bucket, o.key, o.body, "text/plain"));
      const check = onDisk[onDisk.length - 1]!.bucket;
      const listed = await drive.listObjects(check);
      const expected = onDisk.filter((o) => o.bucket === check);
      const byKey = new Map(listed.map((o) => [o.key, o.etag]));
      const wrong = expected.filter((o) => byKey.get(o.key) !== md5(o.body));
      if (listed.length !== expected.length || wrong.length > 0) {
        throw new Error(`objects written into s3rver's directory do not list back correctly (${listed.length} listed, ${wrong.length} wrong ETags)`);
      }
    }
    const populateS = (performance.now() - p0) / 1000;
    const populateVia =
      onDisk.length === 0
        ? `S3 PutObject through s3rver, 16 in flight: ${round(objects.length / apiS, 0)} objects/s`
        : `bucket ${bucketNames[0]} through the S3 API (${round(viaApi.length / apiS, 0)} objects/s), the other ${bucketNames.length - 1} written straight into s3rver's directory in its format, checked by listing ${onDisk[onDisk.length - 1]!.bucket} back`;
    log(`reconcile: populated in ${round(populateS, 1)} s`);

    const [{ pid: backendPid } = { pid: 0 }] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
    const runTick = async (
      tickDeps: ReconcileDeps = deps,
    ): Promise<{ report: ReconcileReport; ms: number; listing: number; statements: number; writes: number; cpuMs: number; listingCpuMs: number; pgCpuMs: number }> => {
      const cpu0 = process.cpuUsage();
      const pg0 = procCpuSeconds(backendPid);
      statements = 0;
      writes = 0;
      listingMs = 0;
      listingCpuMs = 0;
      counting = true;
      const t = performance.now();
      let report: ReconcileReport;
      try {
        report = await reconcile(tickDeps);
      } finally {
        counting = false;
      }
      const ms = performance.now() - t;
      if (report.status !== "done") throw new Error(`reconcile tick was ${report.status}`);
      const failed = report.buckets.filter((b) => b.error);
      if (failed.length > 0) throw new Error(`reconcile failed for ${failed.length} buckets: ${failed[0]!.error}`);
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      const pgCpuMs = (procCpuSeconds(backendPid) - pg0) * 1000;
      return { report, ms, listing: listingMs, statements, writes, cpuMs, listingCpuMs, pgCpuMs };
    };

    // -------- tick 1: everything is new
    const first = await runTick();
    const tracked = await sql<{ n: number }[]>`select count(*)::int as n from drive_files`;
    const trackedPerBucket = (tracked[0]?.n ?? 0) / opts.buckets;
    log(`reconcile: first tick ${round(first.ms, 0)} ms, queued ${first.report.queued}, tracked ${tracked[0]?.n}`);

    // -------- as if every job had run: one UPDATE
    const marked = await sql`
      update drive_files set sync_status = 'synced', processed_etag = etag, processed_at = now(), next_attempt_at = null`;

    // -------- warm-up ticks (unchanged state)
    for (let i = 0; i < opts.warmupTicks; i++) await runTick();

    // -------- row-change baseline: flush this backend's pending stats, then read them from another session
    const statsAvailable = await hasForceFlush(db.observer);
    const readRows = async () => {
      if (statsAvailable) {
        await sql`select pg_stat_force_next_flush()`;
        await sql`select 1`; // the flush happens when the backend goes idle after the previous statement
      }
      await new Promise((r) => setTimeout(r, 50));
      await db.observer`select pg_stat_clear_snapshot()`;
      const [row] = await db.observer<{ ins: string; upd: string; del: string }[]>`
        select coalesce(sum(n_tup_ins), 0)::text as ins, coalesce(sum(n_tup_upd), 0)::text as upd, coalesce(sum(n_tup_del), 0)::text as del
        from pg_stat_user_tables`;
      return { ins: Number(row!.ins), upd: Number(row!.upd), del: Number(row!.del) };
    };
    const before = await readRows();

    // -------- measured ticks
    byStatement.clear();
    const totals: number[] = [];
    const listings: number[] = [];
    const own: number[] = [];
    const perTickStatements: number[] = [];
    const perTickWrites: number[] = [];
    const perTickQueued: number[] = [];
    const cpuMs: number[] = [];
    const cpuListing: number[] = [];
    const pgCpuMs: number[] = [];
    for (let i = 0; i < opts.ticks; i++) {
      const t = await runTick();
      cpuMs.push(t.cpuMs);
      cpuListing.push(t.listingCpuMs);
      pgCpuMs.push(t.pgCpuMs);
      totals.push(t.ms);
      listings.push(t.listing);
      own.push(t.ms - t.listing);
      perTickStatements.push(t.statements);
      perTickWrites.push(t.writes);
      perTickQueued.push(t.report.queued);
    }
    const after = await readRows();
    const measuredStatements = new Map(byStatement);

    // -------- the same unchanged state against a canned-listing endpoint (lower bound for a fast S3)
    let canned: ReconcileTickResult["cannedListing"];
    if (opts.cannedTicks > 0) {
      const server = await startCannedS3(lastListing);
      const stopServer = onCleanup("stop canned s3", () => server.close());
      const cannedDrive = makeS3Drive(server.endpoint, "bench", "bench");
      try {
        const cannedDeps: ReconcileDeps = { ...deps, drive: timed(cannedDrive, false) };
        for (let i = 0; i < opts.warmupTicks; i++) await runTick(cannedDeps);
        const ct: number[] = [];
        const cl: number[] = [];
        const co: number[] = [];
        let cw = 0;
        let cq = 0;
        const ccpu: number[] = [];
        const ccpuListing: number[] = [];
        for (let i = 0; i < opts.cannedTicks; i++) {
          const t = await runTick(cannedDeps);
          ccpu.push(t.cpuMs);
          ccpuListing.push(t.listingCpuMs);
          ct.push(t.ms);
          cl.push(t.listing);
          co.push(t.ms - t.listing);
          cw = Math.max(cw, t.writes);
          cq = Math.max(cq, t.report.queued);
        }
        canned = {
          ticks: opts.cannedTicks,
          total: summarize(ct),
          driveListing: summarize(cl),
          excludingDriveListing: summarize(co),
          writeStatementsPerTick: cw,
          benchProcessCpuMs: summarize(ccpu),
          benchProcessCpuDuringListingMs: summarize(ccpuListing),
          queuedPerTick: cq,
        };
      } finally {
        cannedDrive.destroy();
        await stopServer();
      }
    }
    const rowsChanged = statsAvailable
      ? {
          method: "pg_stat_user_tables n_tup_ins/upd/del deltas around the measured ticks, after pg_stat_force_next_flush() on the tick's connection",
          inserted: after.ins - before.ins,
          updated: after.upd - before.upd,
          deleted: after.del - before.del,
          total: after.ins - before.ins + (after.upd - before.upd) + (after.del - before.del),
        }
      : { method: "statement counts only", unavailable: "pg_stat_force_next_flush() is not available on this server" };

    const total = summarize(totals);
    const excluding = summarize(own);
    const maxStatements = Math.max(...perTickStatements);
    const perBucket = round(maxStatements / opts.buckets, 2);
    const budget = { ms: 500, writes: 0, queriesPerBucket: 2 };
    const maxWrites = Math.max(...perTickWrites);
    return {
      section: "reconcile-tick",
      what: "reconcile() with PgReconcileStore + S3Drive(s3rver) + real PostgreSQL; unchanged bucket state; statements counted with postgres.js debug",
      buckets: opts.buckets,
      objectsPerBucket: opts.objectsPerBucket,
      trackedPerBucket,
      kinds: ["config", "dialog", "kb"].filter((name) => kinds.byName(name)),
      populate: { objects: objects.length, seconds: round(populateS, 1), via: populateVia },
      firstTick: { ms: round(first.ms, 1), queued: first.report.queued, writeStatements: first.writes, statements: first.statements },
      markSynced: { rows: marked.count },
      warmupTicks: opts.warmupTicks,
      measuredTicks: opts.ticks,
      tickMs: { total, driveListing: summarize(listings), excludingDriveListing: excluding },
      cannedListing: canned,
      cpuPerTickMs: { benchProcess: summarize(cpuMs), benchProcessDuringListing: summarize(cpuListing), postgresBackend: summarize(pgCpuMs) },
      queriesPerTick: {
        min: Math.min(...perTickStatements),
        max: maxStatements,
        perBucket,
        byStatement: [...measuredStatements.entries()].map(([statement, n]) => ({ statement, perTick: round(n / opts.ticks, 2) })).sort((a, b) => b.perTick - a.perTick),
      },
      writeStatementsPerTick: { max: maxWrites, total: perTickWrites.reduce((a, b) => a + b, 0) },
      queuedPerTick: { max: Math.max(...perTickQueued) },
      rowsChanged,
      budget,
      met: {
        timeTotal: total.max <= budget.ms,
        timeExcludingListing: excluding.max <= budget.ms,
        noWrites:
          maxWrites === 0 &&
          Math.max(...perTickQueued) === 0 &&
          (!("total" in rowsChanged) || rowsChanged.total === 0) &&
          (!canned || (canned.writeStatementsPerTick === 0 && canned.queuedPerTick === 0)),
        queriesPerBucket: perBucket <= budget.queriesPerBucket,
      },
    };
  } finally {
    if (warnings.length > 0) log(`reconcile: ${warnings.length} warnings, first: ${warnings[0]}`);
    await stopSql();
    await stopDrive();
    await stopClient();
    await stopS3();
    await db.drop();
    await dir.remove();
  }
}

function md5(body: string): string {
  return createHash("md5").update(body).digest("hex");
}

/** One object in s3rver 3.7's filesystem layout (lib/stores/filesystem.js putObject + putMetadata). */
async function writeS3rverObject(root: string, bucket: string, key: string, body: string, contentType: string): Promise<void> {
  const parts = key.split("/");
  const base = parts.pop()!;
  const folder = join(root, bucket, ...parts);
  await mkdir(folder, { recursive: true });
  await Promise.all([
    writeFile(join(folder, `${base}._S3rver_object`), body),
    writeFile(join(folder, `${base}._S3rver_object.md5`), md5(body)),
    writeFile(join(folder, `${base}._S3rver_metadata.json`), JSON.stringify({ "content-type": contentType }, null, 2)),
  ]);
}

async function hasForceFlush(sql: postgres.Sql): Promise<boolean> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from pg_proc where proname = 'pg_stat_force_next_flush'`;
  return (row?.n ?? 0) > 0;
}

export function describeReconcileTick(r: ReconcileTickResult): string {
  const f = (s: Summary) => `p50 ${s.p50} ms, p99 ${s.p99} ms, max ${s.max} ms`;
  const rows = "total" in r.rowsChanged ? `${r.rowsChanged.total} rows changed (pg_stat_user_tables)` : `rows changed: ${r.rowsChanged.unavailable}`;
  return [
    `reconcile tick, ${r.buckets} buckets × ${r.objectsPerBucket} unchanged objects (trackedPerBucket ${r.trackedPerBucket}; ${r.measuredTicks} ticks after ${r.warmupTicks} warm-up):`,
    `  total                      ${f(r.tickMs.total)}   [budget ≤ ${r.budget.ms} ms]`,
    `  drive listing (s3rver)     ${f(r.tickMs.driveListing)}`,
    `  excluding drive listing    ${f(r.tickMs.excludingDriveListing)}`,
    ...(r.cannedListing
      ? [
          `  same ticks, S3Drive against a canned-listing endpoint (SDK + HTTP + our work; lower bound for a fast S3), ${r.cannedListing.ticks} ticks:`,
          `    total                    ${f(r.cannedListing.total)}`,
          `    drive listing (canned)   ${f(r.cannedListing.driveListing)}`,
          `    excluding drive listing  ${f(r.cannedListing.excludingDriveListing)}`,
        ]
      : []),
    `  CPU per tick (p50): this process ${r.cpuPerTickMs.benchProcess.p50} ms, of which ${r.cpuPerTickMs.benchProcessDuringListing.p50} ms inside the drive listing (AWS SDK: signing, HTTP, XML parsing); PostgreSQL backend ${r.cpuPerTickMs.postgresBackend.p50} ms` +
      (r.cannedListing ? `; with the canned listing ${r.cannedListing.benchProcessCpuMs.p50} ms, ${r.cannedListing.benchProcessCpuDuringListingMs.p50} ms inside the listing` : ""),
    `  queries per tick ${r.queriesPerTick.max} (${r.queriesPerTick.perBucket} per bucket) [budget ≤ ${r.budget.queriesPerBucket}]; write statements per tick ${r.writeStatementsPerTick.max}; ${rows}`,
    `  first tick (inserts ${r.firstTick.queued} rows): ${r.firstTick.ms} ms, ${r.firstTick.statements} statements, ${r.firstTick.writeStatements} writes`,
    `  populate: ${r.populate.objects} objects in ${r.populate.seconds} s (${r.populate.via})`,
  ].join("\n");
}
