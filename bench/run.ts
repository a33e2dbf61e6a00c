/**
 * `npm run bench` — measures the budgets of docs/budgets.md on this machine:
 *   1. webhook received → config rows committed, side by side with a naive inline service
 *                                                      (bench/webhook-latency.ts, bench/naive-inline.ts)
 *   2. webhook ingest throughput and RSS                (bench/ingest-throughput.ts + bench/ingest-server.ts)
 *   3. reconcile tick, 100 buckets × 100 unchanged objects (bench/reconcile-tick.ts)
 *   4. compile a 1,000-line .bas                         (bench/compile-basic.ts, when it exists)
 *   5. KB extraction throughput (bench/kb-extract.ts), figures only
 *   6. KB indexing and search over 100,000 chunks; vector search p99 and recall@10 (bench/kb-index.ts)
 *   7. service RSS and /health while huge KB documents are indexed (bench/kb-memory.ts)
 *   8. real pushed notification (Ceph radosgw) → rows committed (bench/real-notifier.ts; skipped without Ceph)
 * Each section prints its JSON and a human summary; a budget table closes the run. Progress goes to stderr.
 *
 * Options: --only=latency,ingest,reconcile,compile,kb-extract,kb-index,kb-memory,real-notifier   --quick (smaller, for trying the bench itself)
 *          --strict (exit 2 when a budget is not met)  --json=PATH (also write all results as JSON there)
 *          --populate=api (section 3: upload all 10,000 objects through PutObject instead of writing 99 of the
 *          100 buckets straight into s3rver's directory; adds ~30 s)
 * Needs the local PostgreSQL (BENCH_DATABASE_URL / TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 * Every database, temp dir, server and child process it starts is removed again, also on failure or Ctrl-C.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchWebhookLatency, describeWebhookLatency, type WebhookLatencyResult } from "./webhook-latency.js";
import { benchIngestThroughput, describeIngestThroughput, type IngestThroughputResult } from "./ingest-throughput.js";
import { benchReconcileTick, describeReconcileTick, type ReconcileTickResult } from "./reconcile-tick.js";
import { benchKbMemory, describeKbMemory, type KbMemoryResult } from "./kb-memory.js";
import { benchRealNotifier, describeRealNotifier, type RealNotifierResult } from "./real-notifier.js";
import { log, machineInfo, round, runCleanups, sampleLoad, sourceRevision, type MachineInfo } from "./lib.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = flag("quick");
const populateMode = option("populate") === "api" ? "api" : "disk";
const only = new Set((option("only") ?? "latency,ingest,reconcile,compile,kb-extract,kb-index,kb-memory,real-notifier").split(",").map((s) => s.trim()));

/** The result of a benchmark run as its own script (compile-basic, kb-extract, kb-index). */
interface CompileBasicResult {
  section: string;
  present: boolean;
  exitCode?: number | null;
  ms?: number;
  output?: unknown;
  raw?: string;
  stderr?: string;
  error?: string;
}

interface SectionError {
  section: string;
  error: string;
}

interface Row {
  what: string;
  budget: string;
  measured: string;
  met: boolean | null;
}

function printSection(title: string, json: unknown, human: string): void {
  process.stdout.write(`\n=== ${title} ===\n`);
  process.stdout.write(JSON.stringify(json, null, 2) + "\n");
  process.stdout.write(`\n${human}\n`);
}

/** A benchmark that lives in its own script and prints its result as JSON (compile, KB extraction, KB index). */
async function runScriptSection(section: string, file: string, args: string[] = [], timeoutMs = 120_000): Promise<CompileBasicResult> {
  const script = join(ROOT, file);
  if (!existsSync(script)) return { section, present: false };
  const tsx = join(ROOT, "node_modules/.bin/tsx");
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(tsx, [file, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ section, present: true, error: error.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const output = parseJsonOutput(stdout);
      resolve({
        section,
        present: true,
        exitCode: code,
        ms: round(performance.now() - started, 0),
        ...(output !== undefined ? { output } : { raw: stdout.slice(-4000) }),
        ...(code !== 0 ? { stderr } : {}),
      });
    });
  });
}

/** The whole stdout as JSON, else the last line that parses as JSON. */
function parseJsonOutput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // fall through
  }
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l.startsWith("{") || l.startsWith("["));
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      return JSON.parse(lines[i]!);
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** Best effort: numbers and verdicts from compile-basic's JSON, whatever its exact shape. */
function compileFigures(output: unknown): { p50?: number; p99?: number; mean?: number; met?: boolean } {
  const found: { p50?: number; p99?: number; mean?: number; met?: boolean } = {};
  const visit = (value: unknown, depth: number) => {
    if (depth > 4 || value === null || typeof value !== "object") return;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const key = k.toLowerCase();
      if (typeof v === "number") {
        if (found.p50 === undefined && /^(p50|median)(ms|_ms)?$/.test(key)) found.p50 = v;
        else if (found.p99 === undefined && /^p99(ms|_ms)?$/.test(key)) found.p99 = v;
        else if (found.mean === undefined && /^(mean|avg|average)(ms|_ms)?$/.test(key)) found.mean = v;
      } else if (typeof v === "boolean" && found.met === undefined && /^(met|ok|pass|passed|withinbudget)$/.test(key)) {
        found.met = v;
      } else visit(v, depth + 1);
    }
  };
  visit(output, 0);
  return found;
}

function budgetRows(
  latency: WebhookLatencyResult | undefined,
  ingest: IngestThroughputResult | undefined,
  reconcile: ReconcileTickResult | undefined,
  compile: CompileBasicResult | undefined,
  kbMemory: KbMemoryResult | undefined,
  realNotifier: RealNotifierResult | undefined,
): Row[] {
  const rows: Row[] = [];
  if (latency) {
    rows.push(
      {
        what: "webhook → config rows committed, p50, botsync / naive inline",
        budget: `≤ ${latency.budget.ratio}`,
        measured: `${latency.ratio.p50} (${latency.botsync.totalMs.p50} / ${latency.naive.totalMs.p50} ms)`,
        met: latency.met.p50,
      },
      {
        what: "webhook → config rows committed, p99, botsync / naive inline",
        budget: `≤ ${latency.budget.ratio}`,
        measured: `${latency.ratio.p99} (${latency.botsync.totalMs.p99} / ${latency.naive.totalMs.p99} ms)`,
        met: latency.met.p99,
      },
    );
  }
  if (ingest) {
    for (const p of ingest.phases) {
      rows.push({ what: `webhook ingest (${p.phase})`, budget: "≥ 2,000 /s", measured: `${p.requests.perSecond} /s`, met: p.requests.perSecond >= ingest.budget.perSecond });
    }
    const bad = ingest.phases.reduce((a, p) => a + p.requests.non2xx + p.requests.errors + p.requests.timeouts, 0);
    rows.push({ what: "webhook ingest non-2xx / errors", budget: "0", measured: String(bad), met: ingest.met.no_non2xx });
    rows.push({ what: "webhook ingest service RSS (peak)", budget: "≤ 200 MB", measured: `${Math.max(ingest.child.peakRssMb, ingest.child.vmHwmMb)} MB`, met: ingest.met.rss });
  }
  if (reconcile) {
    rows.push(
      { what: "reconcile tick, total incl. s3rver listing (max)", budget: "≤ 500 ms", measured: `${reconcile.tickMs.total.max} ms (p50 ${reconcile.tickMs.total.p50})`, met: reconcile.met.timeTotal },
      { what: "reconcile tick, excluding drive listing (max)", budget: "≤ 500 ms", measured: `${reconcile.tickMs.excludingDriveListing.max} ms (p50 ${reconcile.tickMs.excludingDriveListing.p50})`, met: reconcile.met.timeExcludingListing },
      ...(reconcile.cannedListing
        ? [
            {
              what: "reconcile tick, total vs canned-listing S3 (max)",
              budget: "≤ 500 ms",
              measured: `${reconcile.cannedListing.total.max} ms (p50 ${reconcile.cannedListing.total.p50})`,
              met: reconcile.cannedListing.total.max <= reconcile.budget.ms,
            },
          ]
        : []),
      {
        what: "reconcile tick writes",
        budget: "0",
        measured: `${reconcile.writeStatementsPerTick.max} statements, ${"total" in reconcile.rowsChanged ? `${reconcile.rowsChanged.total} rows` : "rows n/a"}`,
        met: reconcile.met.noWrites,
      },
      { what: "reconcile queries per bucket", budget: "≤ 2", measured: String(reconcile.queriesPerTick.perBucket), met: reconcile.met.queriesPerBucket },
    );
  }
  if (compile) {
    if (!compile.present) rows.push({ what: "compile a 1,000-line .bas", budget: "≤ 10 ms", measured: "not run (bench/compile-basic.ts missing)", met: null });
    else if (compile.exitCode !== 0 || compile.error) rows.push({ what: "compile a 1,000-line .bas", budget: "≤ 10 ms", measured: `failed (${compile.error ?? `exit ${compile.exitCode}`})`, met: null });
    else {
      const f = compileFigures(compile.output);
      const parts = [f.p50 !== undefined ? `p50 ${f.p50} ms` : "", f.p99 !== undefined ? `p99 ${f.p99} ms` : "", f.mean !== undefined && f.p50 === undefined ? `mean ${f.mean} ms` : ""].filter(Boolean);
      const met = f.met ?? (f.p50 !== undefined ? f.p50 <= 10 : f.mean !== undefined ? f.mean <= 10 : null);
      rows.push({ what: "compile a 1,000-line .bas", budget: "≤ 10 ms", measured: parts.length ? parts.join(", ") : "see its JSON", met });
    }
  }
  if (kbMemory) {
    for (const d of kbMemory.documents) {
      rows.push(
        { what: `KB indexing ${d.what}: service RSS (peak sampled)`, budget: `≤ ${kbMemory.budget.rssMb} MB`, measured: `${d.rssMb.peakSampled} MB (${d.outcome})`, met: d.rssMb.peakSampled <= kbMemory.budget.rssMb },
        { what: `KB indexing ${d.what}: /health max latency`, budget: `≤ ${kbMemory.budget.healthMs} ms`, measured: `${d.healthMs.max} ms (p99 ${d.healthMs.p99})`, met: d.healthMs.max <= kbMemory.budget.healthMs },
      );
    }
    rows.push({ what: "KB indexing: service VmHWM over the whole run", budget: `≤ ${kbMemory.budget.rssMb} MB`, measured: `${kbMemory.vmHwmMb} MB`, met: kbMemory.vmHwmMb <= kbMemory.budget.rssMb });
  }
  if (realNotifier) {
    const what = "real pushed notification (Ceph radosgw, persistent topic) → rows committed, p50";
    const budget = `≤ ${realNotifier.budget.p50Ms} ms`;
    if (realNotifier.skipped) rows.push({ what, budget, measured: `not run (${realNotifier.skipped.split(":")[0]})`, met: null });
    else {
      const s = realNotifier.putToCommitMs!;
      rows.push({ what, budget, measured: `${s.p50} ms (p90 ${s.p90}, p99 ${s.p99}, max ${s.max})`, met: realNotifier.met!.p50 });
    }
  }
  return rows;
}

/** What bench/kb-index.ts measured for vector search, or why there is no figure. */
interface KbVectorSearch {
  chunks: number;
  dimensions: number;
  ms: { p50: number; p99: number };
  exactScanMs: { p50: number };
  recallAt10: number;
  indexBuildSeconds: number;
  budget: { p99Ms: number; recallAt10: number };
  met: { p99: boolean; recall: boolean };
}

function kbVectorSearch(kbIndex: CompileBasicResult | undefined): KbVectorSearch | string {
  if (!kbIndex?.present) return "not run (bench/kb-index.ts missing)";
  const search = (kbIndex.output as { searchVectors?: KbVectorSearch } | undefined)?.searchVectors;
  return search ?? `failed (${kbIndex.error ?? `exit ${kbIndex.exitCode}`})`;
}

function describeKbSearch(kbIndex: CompileBasicResult): string {
  const search = kbVectorSearch(kbIndex);
  if (typeof search === "string") return `KB vector search: ${search}`;
  return [
    `KB vector search over ${search.chunks} chunks × ${search.dimensions} dimensions (PGlite + pgvector HNSW):`,
    `p50 ${search.ms.p50} ms, p99 ${search.ms.p99} ms, recall@10 ${search.recallAt10} vs the exact scan (exact scan p50 ${search.exactScanMs.p50} ms);`,
    `index built over the whole fixture in ${search.indexBuildSeconds} s`,
  ].join("\n");
}

/** The budget line "KB vector search p99 ≤ 20 ms, recall@10 ≥ 0.95" (docs/budgets.md), both must hold. */
function kbSearchRows(kbIndex: CompileBasicResult | undefined): Row[] {
  if (!kbIndex) return [];
  const what = "KB vector search, 100k chunks × 384 dims";
  const budget = "p99 ≤ 20 ms, recall@10 ≥ 0.95";
  const search = kbVectorSearch(kbIndex);
  if (typeof search === "string") return [{ what, budget, measured: search, met: null }];
  return [
    {
      what,
      budget: `p99 ≤ ${search.budget.p99Ms} ms, recall@10 ≥ ${search.budget.recallAt10}`,
      measured: `p99 ${search.ms.p99} ms, recall@10 ${search.recallAt10}`,
      met: search.met.p99 && search.met.recall,
    },
  ];
}

function table(rows: Row[]): string {
  const cells = rows.map((r) => [r.what, r.budget, r.measured, r.met === null ? "n/a" : r.met ? "PASS" : "FAIL"]);
  const head = ["budget item", "budget", "measured", "verdict"];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => "| " + c.map((x, i) => x.padEnd(widths[i]!)).join(" | ") + " |";
  return [line(head), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...cells.map(line)].join("\n");
}

async function main(): Promise<number> {
  const started = Date.now();
  const machine: MachineInfo = await machineInfo();
  const load = await sampleLoad();
  const revision = sourceRevision();
  printSection("machine", { ...machine, backgroundLoadBeforeStart: load, revision, quick }, [
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memTotalMb} MB, ${machine.platform}`,
    `Node ${machine.node}; ${machine.postgres}`,
    `background load before start: ${load.busyPercent}% of all CPUs busy, loadavg ${load.loadavg.join(" ")}`,
    revision ? `source: commit ${revision.commit}${revision.uncommittedFiles ? ` + ${revision.uncommittedFiles} uncommitted/untracked files` : ""}` : "source: (no git)",
  ].join("\n"));
  if (load.busyPercent > 25) log(`warning: the machine is already ${load.busyPercent}% busy; figures will be pessimistic`);

  const errors: SectionError[] = [];
  let latency: WebhookLatencyResult | undefined;
  let ingest: IngestThroughputResult | undefined;
  let reconcile: ReconcileTickResult | undefined;
  let compile: CompileBasicResult | undefined;
  const section = async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
    if (!only.has(name)) return undefined;
    const t = Date.now();
    log(`section ${name}: start`);
    try {
      const result = await fn();
      log(`section ${name}: done in ${round((Date.now() - t) / 1000, 1)} s`);
      return result;
    } catch (error) {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      errors.push({ section: name, error: text });
      process.stdout.write(`\n=== ${name}: FAILED ===\n${text}\n`);
      return undefined;
    } finally {
      await runCleanups();
    }
  };

  latency = await section("latency", () => benchWebhookLatency(quick ? { iterations: 100, warmup: 20 } : { iterations: 500, warmup: 50 }));
  if (latency) printSection("1. webhook received → config rows committed, botsync vs the naive inline reference", latency, describeWebhookLatency(latency));

  ingest = await section("ingest", () =>
    benchIngestThroughput(
      quick
        ? { durationS: 4, queuedDurationS: 3, connections: 32, compiledDurationS: 3, burstConnections: 1000, burstDurationS: 5 }
        : { durationS: 10, queuedDurationS: 8, connections: 32, compiledDurationS: 5, burstConnections: 1000, burstDurationS: 15 },
    ),
  );
  if (ingest) printSection("2. webhook ingest throughput", ingest, describeIngestThroughput(ingest));

  reconcile = await section("reconcile", () =>
    benchReconcileTick(quick ? { buckets: 20, objectsPerBucket: 100, warmupTicks: 1, ticks: 5, cannedTicks: 5, populate: populateMode } : { buckets: 100, objectsPerBucket: 100, warmupTicks: 1, ticks: 20, cannedTicks: 10, populate: populateMode }),
  );
  if (reconcile) printSection("3. reconcile tick, unchanged state", reconcile, describeReconcileTick(reconcile));

  compile = await section("compile", () => runScriptSection("compile-basic", "bench/compile-basic.ts"));
  if (compile) {
    const human = !compile.present
      ? "bench/compile-basic.ts does not exist (yet); section skipped"
      : compile.exitCode === 0
        ? `bench/compile-basic.ts ran in ${compile.ms} ms (wall, incl. tsx start-up); its output is above`
        : `bench/compile-basic.ts failed: ${compile.error ?? `exit ${compile.exitCode}`}\n${compile.stderr ?? ""}`;
    printSection("4. compile a 1,000-line .bas (bench/compile-basic.ts)", compile, human);
  }

  // KB extraction and indexing throughput have no budget: reported as measured. KB vector search has one.
  const kbExtract = await section("kb-extract", () => runScriptSection("kb-extract", "bench/kb-extract.ts", quick ? ["--quick"] : [], 300_000));
  if (kbExtract) printSection("5. KB extraction + chunking throughput per format (bench/kb-extract.ts)", kbExtract, "MB/s per format; see the JSON above");
  // The HNSW build over 100,000 × 384 dimensions in PGlite (WebAssembly, one thread) alone takes minutes.
  const kbIndex = await section("kb-index", () => runScriptSection("kb-index", "bench/kb-index.ts", quick ? ["--quick"] : [], 1_200_000));
  if (kbIndex) printSection("6. KB indexing throughput and search latency over 100,000 chunks (bench/kb-index.ts)", kbIndex, describeKbSearch(kbIndex));

  const kbMemory = await section("kb-memory", () =>
    benchKbMemory(
      quick
        ? { csvBytes: 200 * 1_000_000, docxTextBytes: 60 * 1024 * 1024, wholeFormatScale: 0.25 }
        : { csvBytes: 900 * 1_000_000, docxTextBytes: 300 * 1024 * 1024, wholeFormatScale: 1 },
    ),
  );
  if (kbMemory) printSection("7. service memory and /health while huge KB documents are indexed (bench/kb-memory.ts)", kbMemory, describeKbMemory(kbMemory));

  const realNotifier = await section("real-notifier", () => benchRealNotifier(quick ? { iterations: 20, warmIterations: 3 } : { iterations: 50, warmIterations: 5 }));
  if (realNotifier) printSection("8. real pushed notification (Ceph radosgw, persistent topic) → config rows committed", realNotifier, describeRealNotifier(realNotifier));

  const rows = [...budgetRows(latency, ingest, reconcile, compile, kbMemory, realNotifier), ...kbSearchRows(kbIndex)];
  const totalS = round((Date.now() - started) / 1000, 1);
  process.stdout.write(
    `\n=== summary (docs/budgets.md; ${machine.cpus} cores, Node ${machine.node}, ${totalS} s; machine ${load.busyPercent}% busy before start) ===\n${table(rows)}\n`,
  );
  if (errors.length > 0) process.stdout.write(`\n${errors.length} section(s) failed: ${errors.map((e) => e.section).join(", ")}\n`);

  const jsonPath = option("json");
  if (jsonPath) {
    await writeFile(jsonPath, JSON.stringify({ machine, backgroundLoad: load, revision, latency, ingest, reconcile, compile, kbExtract, kbIndex, kbMemory, realNotifier, summary: rows, errors, totalS }, null, 2));
    log(`results written to ${jsonPath}`);
  }
  if (errors.length > 0) return 1;
  if (flag("strict") && rows.some((r) => r.met === false)) return 2;
  return 0;
}

main()
  .then(async (code) => {
    await runCleanups();
    process.exit(code);
  })
  .catch(async (error) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await runCleanups();
    process.exit(1);
  });
