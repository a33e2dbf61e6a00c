/**
 * Section 7 — memory and responsiveness while huge knowledge-base documents are indexed.
 *
 * The service is built and run as `npm start` runs it (functions/node.ts bundled by esbuild, plain Node) in
 * a process of its own; the drive (s3rver behind a proxy that counts the bytes it sends) runs in another,
 * so neither the bench nor the drive shares the service's event loop or its memory. Documents, uploaded
 * straight to s3rver and then notified as MinIO would:
 *   - a 900 MB CSV (under the 1 GiB CSV cap), generated as it is uploaded;
 *   - a docx of ~50 MB holding 300 MiB of text in ONE paragraph (the shape that ran the extractor out of heap).
 * While each is indexed the bench reads the service's VmRSS every 50 ms and asks GET /health every 50 ms.
 * Budgets (docs/budgets.md): the service's peak RSS ≤ 300 MB — memory must not follow document size; the
 * verdict uses VmHWM, the kernel's own peak, over the whole run — and /health answering within 100 ms
 * throughout.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { minioBody } from "../src/adapters/embedded/minio-notifier.js";
import { startDriveProcess } from "../test/harness/drive-process.js";
import { MAX_BYTES } from "../src/core/kb/extract/extract.js";
import { csvStream, docxWithText, pdfWithPages, pptxWithSlides, xlsxWithSharedStrings, yamlRecords } from "../test/harness/large-documents.js";
import { startServiceProcess, type ServiceProcess } from "../test/harness/service-process.js";
import {
  busyPercent,
  cpuTimes,
  createBenchDatabase,
  log,
  onCleanup,
  round,
  safeRead,
  serviceEnv,
  summarize,
  tempDir,
  WEBHOOK_TOKEN,
  type BenchDatabase,
  type Summary,
} from "./lib.js";

const BUCKET = "mem.gbai";
const FIRST = "mem.gbkb/first.txt";
const MiB = 1024 * 1024;

export interface KbMemoryDocument {
  what: string;
  key: string;
  bytes: number;
  outcome: string;
  error: string | null;
  diagnostics: string[];
  chunks: number;
  /** upload to s3rver, not part of the service's work */
  uploadS: number;
  /** webhook → job outcome recorded */
  indexS: number;
  /** body bytes the drive sent the service for this key */
  downloadedBytes: number;
  /** VmHWM after it: the process's peak so far, so the document that raised it shows */
  rssMb: { before: number; peakSampled: number; after: number; hwmAfter: number };
  healthMs: Summary;
  /**
   * A request no route matches (404): the service's event loop alone. /health also waits for the database
   * and the drive, which share the machine's two cores with the extraction thread, PostgreSQL and s3rver.
   */
  eventLoopMs: Summary;
  /**
   * Whether the machine let the service run: all CPUs' busy share while the document was indexed, and the
   * longest time the service's main thread waited in the run queue (runnable, no CPU free) within one
   * 50 ms sample (/proc/PID/task/PID/schedstat). A /health answer that took long while the main thread
   * waited that long for a CPU measures the machine, not the service.
   */
  machine: { busyPercent: number; mainThreadRunQueueWaitMaxMsPer50ms: number; mainThreadRunQueueWaitTotalMs: number };
}

export interface KbMemoryResult {
  section: "kb-memory";
  command: string;
  rssAtReadyMb: number;
  documents: KbMemoryDocument[];
  /** the service's VmHWM at the end: its peak resident set over the whole run, startup included */
  vmHwmMb: number;
  budget: { rssMb: number; healthMs: number };
  met: { rss: boolean; health: boolean };
}

/** A ZIP or PDF file this much under its cap: the generators land within a few KiB of the size asked for. */
const UNDER_CAP = 64 * 1024;

export async function benchKbMemory(opts: { csvBytes: number; docxTextBytes: number; wholeFormatScale: number }): Promise<KbMemoryResult> {
  const db = await createBenchDatabase();
  const dir = await tempDir("kb-memory");
  const drive = await startDriveProcess(join(dir.path, "s3"));
  onCleanup("stop drive process (kb-memory)", () => drive.stop());
  const client = new S3Client({
    endpoint: drive.s3Endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: drive.accessKeyId, secretAccessKey: drive.secretAccessKey },
    // a streamed PutObject would otherwise be sent aws-chunked, which s3rver does not read
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
  onCleanup("destroy s3 client (kb-memory)", () => client.destroy());
  // s3rver shows an object (empty) while its PUT is still being written, and a reconcile tick in that window
  // would index the empty version first. So the timer is off (an hour), the bench notifies once each upload
  // is complete, and uploads start only after the start-up tick has indexed a first document.
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: FIRST, Body: "indexed by the start-up reconcile tick" }));
  const service = await startServiceProcess({
    ...serviceEnv(db, drive, join(dir.path, "data")),
    LOG_LEVEL: "info",
    RECONCILE_INTERVAL_MS: "3600000",
  });
  onCleanup("stop service (kb-memory)", () => service.stop());
  await watchUntilDone(service, db.observer, FIRST);
  const rssAtReadyMb = service.memory().rssMb;
  log(`kb-memory: service pid ${service.pid} at ${service.url}, RSS ${rssAtReadyMb} MB`);

  const documents: KbMemoryDocument[] = [];
  const index = async (what: string, key: string, body: () => Uint8Array | Readable, bytes: number) => {
    log(`kb-memory: uploading ${what}`);
    const uploadStarted = performance.now();
    const out = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body(), ContentLength: bytes }));
    const uploadS = round((performance.now() - uploadStarted) / 1000, 1);
    log(`kb-memory: indexing ${what}`);
    const before = service.memory().rssMb;
    const cpuBefore = cpuTimes();
    const waitBefore = runQueueWaitMs(service.pid);
    const started = performance.now();
    await notify(service, key, (out.ETag ?? "").replace(/"/g, ""), bytes);
    const watched = await watchUntilDone(service, db.observer, key);
    const requests = (await drive.requests()).filter((r) => r.path === `/${BUCKET}/${key}` && r.method === "GET");
    const [chunks] = await db.observer<{ n: number }[]>`select count(*)::int as n from botsync_kb_chunks where document_path = ${`${BUCKET}/${key}`}`;
    documents.push({
      what,
      key,
      bytes,
      outcome: watched.row.sync_status,
      error: watched.row.last_error,
      diagnostics: (watched.row.diagnostics ?? []).map((d) => `${d.code}: ${d.message}`),
      chunks: chunks?.n ?? 0,
      uploadS,
      indexS: round((performance.now() - started) / 1000, 1),
      downloadedBytes: requests.reduce((n, r) => n + r.bytes, 0),
      rssMb: { before, peakSampled: watched.peakRssMb, after: service.memory().rssMb, hwmAfter: service.memory().hwmMb },
      healthMs: summarize(watched.healthMs),
      eventLoopMs: summarize(watched.eventLoopMs),
      machine: {
        busyPercent: busyPercent(cpuBefore, cpuTimes()),
        mainThreadRunQueueWaitMaxMsPer50ms: round(watched.runQueueWaitMaxMs, 1),
        mainThreadRunQueueWaitTotalMs: round(runQueueWaitMs(service.pid) - waitBefore, 0),
      },
    });
  };

  await index(`${round(opts.csvBytes / 1e6, 0)} MB CSV`, "mem.gbkb/exports/orders.csv", () => csvStream(opts.csvBytes), opts.csvBytes);
  const size = (format: "docx" | "xlsx" | "pptx" | "pdf") => Math.round(MAX_BYTES[format] * opts.wholeFormatScale) - UNDER_CAP;
  const whole: Array<{ what: (bytes: number) => string; key: string; make: () => Uint8Array }> = [
    {
      what: (n) => `${mb(n)} docx, ${opts.docxTextBytes / MiB} MiB of text in one paragraph`,
      key: "mem.gbkb/reports/endless.docx",
      make: () => docxWithText(opts.docxTextBytes, { oneParagraph: true, level: 1, paddedTo: size("docx") }),
    },
    { what: (n) => `${mb(n)} xlsx, 700,000 shared strings`, key: "mem.gbkb/exports/orders.xlsx", make: () => xlsxWithSharedStrings(700_000, size("xlsx")) },
    { what: (n) => `${mb(n)} pptx, 2,500 slides`, key: "mem.gbkb/decks/all-hands.pptx", make: () => pptxWithSlides(2_500, 4_000, size("pptx")) },
    { what: (n) => `${mb(n)} PDF, 3,000 pages`, key: "mem.gbkb/manuals/manual.pdf", make: () => pdfWithPages(3_000, 3_400, size("pdf")) },
    { what: (n) => `${mb(n)} YAML list of records`, key: "mem.gbkb/data/records.yaml", make: () => yamlRecords(MAX_BYTES.yaml) },
  ];
  for (const document of whole) {
    log(`kb-memory: generating ${document.key}`);
    const bytes = document.make();
    await index(document.what(bytes.length), document.key, () => bytes, bytes.length);
  }

  const vmHwmMb = service.memory().hwmMb;
  const budget = { rssMb: 300, healthMs: 100 };
  return {
    section: "kb-memory",
    command: "node dist/…/node.mjs (functions/node.ts bundled as npm run build does)",
    rssAtReadyMb,
    documents,
    vmHwmMb,
    budget,
    met: {
      rss: vmHwmMb <= budget.rssMb && documents.every((d) => d.rssMb.peakSampled <= budget.rssMb),
      health: documents.every((d) => d.healthMs.max <= budget.healthMs),
    },
  };
}

async function notify(service: ServiceProcess, key: string, etag: string, size: number): Promise<void> {
  const event = { eventName: "s3:ObjectCreated:Put" as const, bucket: BUCKET, key, etag, size, eventTime: new Date().toISOString() };
  const res = await fetch(`${service.url}/webhooks/minio`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${WEBHOOK_TOKEN}` },
    body: JSON.stringify(minioBody(event)),
  });
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
}

interface FileRow {
  sync_status: string;
  last_error: string | null;
  diagnostics: Array<{ code: string; message: string }> | null;
}

/** Samples RSS, /health and a 404 every 50 ms until the object's job has an outcome. */
async function watchUntilDone(
  service: ServiceProcess,
  sql: BenchDatabase["observer"],
  key: string,
  timeoutMs = 300_000,
): Promise<{ row: FileRow; peakRssMb: number; healthMs: number[]; eventLoopMs: number[]; runQueueWaitMaxMs: number }> {
  const healthMs: number[] = [];
  const eventLoopMs: number[] = [];
  let peakRssMb = 0;
  let runQueueWaitMaxMs = 0;
  let lastWait = runQueueWaitMs(service.pid);
  let done = false;
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, service.memory().rssMb);
    const wait = runQueueWaitMs(service.pid);
    runQueueWaitMaxMs = Math.max(runQueueWaitMaxMs, wait - lastWait);
    lastWait = wait;
  }, 50);
  const probe = async (path: string, expected: number, into: number[]) => {
    while (!done) {
      const started = performance.now();
      const res = await fetch(`${service.url}${path}`);
      await res.arrayBuffer();
      into.push(performance.now() - started);
      if (res.status !== expected) throw new Error(`${path} answered ${res.status} while indexing`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const probes = Promise.all([probe("/health", 200, healthMs), probe("/no-such-route", 404, eventLoopMs)]);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const [row] = await sql<FileRow[]>`select sync_status, last_error, diagnostics from drive_files where file_path = ${`${BUCKET}/${key}`}`;
      if (row && (row.sync_status === "synced" || row.sync_status === "failed")) return { row, peakRssMb, healthMs, eventLoopMs, runQueueWaitMaxMs };
      if (Date.now() > deadline) throw new Error(`${key}: no outcome after ${timeoutMs / 1000} s (${JSON.stringify(row)})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    done = true;
    clearInterval(sampler);
    await probes;
  }
}

const mb = (bytes: number) => `${round(bytes / MiB, 1)} MiB`;

/** Time the process's main thread has spent runnable but waiting for a CPU, ms (Linux schedstat). */
function runQueueWaitMs(pid: number): number {
  const fields = safeRead(`/proc/${pid}/task/${pid}/schedstat`).trim().split(/\s+/);
  return Number(fields[1] ?? NaN) / 1e6;
}

export function describeKbMemory(r: KbMemoryResult): string {
  const lines = [`service (${r.command}): RSS ${r.rssAtReadyMb} MB when ready, VmHWM ${r.vmHwmMb} MB at the end (budget ≤ ${r.budget.rssMb} MB)`];
  for (const d of r.documents) {
    lines.push(
      `${d.what}: ${d.outcome}${d.error ? ` (${d.error.slice(0, 120)})` : ""}, ${d.chunks} chunks, indexed in ${d.indexS} s (upload ${d.uploadS} s), ` +
        `${round(d.downloadedBytes / 1e6, 1)} MB downloaded of ${round(d.bytes / 1e6, 1)} MB`,
      `  RSS before ${d.rssMb.before} MB, peak sampled ${d.rssMb.peakSampled} MB, after ${d.rssMb.after} MB, VmHWM then ${d.rssMb.hwmAfter} MB; ` +
        `/health ${d.healthMs.n} probes: p50 ${d.healthMs.p50} ms, p99 ${d.healthMs.p99} ms, max ${d.healthMs.max} ms (budget ≤ ${r.budget.healthMs} ms); ` +
        `event loop (a 404): p50 ${d.eventLoopMs.p50} ms, max ${d.eventLoopMs.max} ms`,
      `  machine ${d.machine.busyPercent}% busy meanwhile; the service's main thread waited for a CPU ${d.machine.mainThreadRunQueueWaitTotalMs} ms in all, ` +
        `up to ${d.machine.mainThreadRunQueueWaitMaxMsPer50ms} ms within one 50 ms sample`,
      ...d.diagnostics.map((x) => `  diagnostic ${x}`),
    );
  }
  return lines.join("\n");
}
