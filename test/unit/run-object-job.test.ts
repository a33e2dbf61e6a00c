import { describe, expect, it } from "vitest";
import { BotsyncError } from "../../src/core/errors.js";
import type { ClaimedJob, ObjectDiagnostic } from "../../src/core/jobs/job-types.js";
import { KindRegistry, register } from "../../src/core/jobs/kind-registry.js";
import type { BytesObjectJobHandler, ObjectJobHandler, StreamObjectJobHandler } from "../../src/core/jobs/object-job-handler.js";
import { runObjectJob, type JobDeps } from "../../src/core/jobs/run-object-job.js";
import type { Drive, DriveObject, DriveObjectInfo, StreamingDrive } from "../../src/core/ports/drive.js";
import type { LogFields, Logger } from "../../src/core/ports/logger.js";
import type { JobResult, JobStore } from "../../src/core/ports/job-store.js";

// ---- in-memory fakes of the ports -------------------------------------------------------------------

type GetObject = (bucket: string, key: string, maxBytes: number) => Promise<DriveObject | null>;

function fakeDrive(getObject: GetObject): Drive & StreamingDrive & { reads: Array<{ bucket: string; key: string; maxBytes: number }> } {
  const reads: Array<{ bucket: string; key: string; maxBytes: number }> = [];
  const streamed = () => {
    throw new Error("a bytes handler must not stream");
  };
  return {
    reads,
    listBuckets: async () => [],
    bucketExists: async () => true,
    listObjects: async () => [],
    getObject: async (bucket, key, maxBytes) => {
      reads.push({ bucket, key, maxBytes });
      return getObject(bucket, key, maxBytes);
    },
    statObject: streamed,
    openObject: streamed,
    check: async () => {},
  };
}

/** The job store's transaction, as the fake hands it out; the kind's store is bound to it as itself. */
type JobTx = { marker: string };
const TX: JobTx = { marker: "tx" };

/** A registry with one kind, "config", handled by `handler`, its store being the transaction itself. */
function kindsWith(handler: ObjectJobHandler<JobTx> | null): KindRegistry<JobTx> {
  return new KindRegistry<JobTx>(handler ? [register({ name: "config", fileType: "config", lane: "fast", matches: () => true, handler }, (tx: JobTx) => tx)] : []);
}

interface FailCall {
  job: ClaimedJob;
  owner: string;
  failure: { permanent: boolean; error: string; etag?: string; retryInMs: number };
}

function fakeJobStore(
  options: { completeReturns?: "done" | "superseded"; completeThrows?: unknown; failThrows?: unknown } = {},
): JobStore<JobTx> & { completed: Array<{ owner: string; result: JobResult }>; failed: FailCall[]; inComplete: boolean } {
  const store = {
    completed: [] as Array<{ owner: string; result: JobResult }>,
    failed: [] as FailCall[],
    inComplete: false,
    claim: async () => [],
    complete: async (job: ClaimedJob, owner: string, work: (tx: JobTx) => Promise<JobResult>) => {
      if (options.completeThrows !== undefined) throw options.completeThrows;
      store.inComplete = true;
      try {
        const result = await work(TX);
        store.completed.push({ owner, result });
      } finally {
        store.inComplete = false;
      }
      return options.completeReturns ?? "done";
    },
    fail: async (job: ClaimedJob, owner: string, failure: FailCall["failure"]) => {
      store.failed.push({ job, owner, failure });
      if (options.failThrows !== undefined) throw options.failThrows;
    },
    renew: async (ids: string[]) => ids,
  };
  return store;
}

function fakeHandler(
  apply: BytesObjectJobHandler<JobTx>["apply"] = async () => ({ diagnostics: [] }),
  isInComplete: () => boolean = () => false,
): BytesObjectJobHandler<JobTx> & {
  applied: Array<{ etag: string; bytes: Uint8Array; tx: JobTx; inComplete: boolean }>;
  removed: Array<{ tx: JobTx; inComplete: boolean }>;
} {
  const h = {
    maxBytes: 1234,
    applied: [] as Array<{ etag: string; bytes: Uint8Array; tx: JobTx; inComplete: boolean }>,
    removed: [] as Array<{ tx: JobTx; inComplete: boolean }>,
    apply: async (input: { job: ClaimedJob; bytes: Uint8Array; etag: string }, tx: JobTx) => {
      h.applied.push({ etag: input.etag, bytes: input.bytes, tx, inComplete: isInComplete() });
      return apply(input, tx);
    },
    remove: async (_input: { job: ClaimedJob }, tx: JobTx) => {
      h.removed.push({ tx, inComplete: isInComplete() });
    },
  };
  return h;
}

function fakeLogger(): Logger & { lines: Array<{ level: string; msg: string; fields?: LogFields }> } {
  const lines: Array<{ level: string; msg: string; fields?: LogFields }> = [];
  const make = (): Logger => ({
    debug: (msg, fields) => void lines.push({ level: "debug", msg, fields }),
    info: (msg, fields) => void lines.push({ level: "info", msg, fields }),
    warn: (msg, fields) => void lines.push({ level: "warn", msg, fields }),
    error: (msg, fields) => void lines.push({ level: "error", msg, fields }),
    child: () => make(),
  });
  return Object.assign(make(), { lines });
}

function job(overrides: Partial<ClaimedJob> = {}): ClaimedJob {
  return {
    id: "17",
    botId: "b-1",
    bot: "demo",
    bucket: "demo.gbai",
    key: "demo.gbot/config.csv",
    filePath: "demo.gbai/demo.gbot/config.csv",
    kind: "config",
    etag: "etag-from-event",
    present: true,
    processedEtag: "etag-processed-before",
    reprocess: false,
    queuedAt: null,
    attempts: 0,
    revision: "3",
    ...overrides,
  };
}

const BYTES = new TextEncoder().encode("name,value\nTheme Color,blue\n");
const MODIFIED = new Date("2026-03-04T05:06:07.000Z");

function object(etag: string): DriveObject {
  return { key: "demo.gbot/config.csv", etag, size: BYTES.length, lastModified: MODIFIED, bytes: BYTES };
}

function setup(opts: {
  getObject: GetObject;
  apply?: BytesObjectJobHandler<JobTx>["apply"];
  store?: Parameters<typeof fakeJobStore>[0];
  noHandler?: boolean;
}) {
  const drive = fakeDrive(opts.getObject);
  const jobs = fakeJobStore(opts.store);
  const handler = fakeHandler(opts.apply, () => jobs.inComplete);
  const log = fakeLogger();
  const deps: JobDeps<JobTx> = { drive, jobs, kinds: kindsWith(opts.noHandler ? null : handler), owner: "worker-A", log };
  return { deps, drive, jobs, handler, log };
}

// ---- tests -------------------------------------------------------------------------------------------

describe("runObjectJob", () => {
  it("reads the job's object with the handler's size limit", async () => {
    const { deps, drive } = setup({ getObject: async () => object("etag-now") });
    await runObjectJob(job(), deps);
    expect(drive.reads).toEqual([{ bucket: "demo.gbai", key: "demo.gbot/config.csv", maxBytes: 1234 }]);
  });

  describe("object missing from the bucket", () => {
    it("calls handler.remove inside complete and reports removed", async () => {
      const { deps, jobs, handler } = setup({ getObject: async () => null });
      const outcome = await runObjectJob(job(), deps);
      expect(outcome).toBe("removed");
      expect(handler.removed).toEqual([{ tx: TX, inComplete: true }]);
      expect(handler.applied).toEqual([]);
      expect(jobs.completed).toEqual([{ owner: "worker-A", result: { removed: true } }]);
      expect(jobs.failed).toEqual([]);
    });

    it("reports superseded when complete says so", async () => {
      const { deps } = setup({ getObject: async () => null, store: { completeReturns: "superseded" } });
      expect(await runObjectJob(job(), deps)).toBe("superseded");
    });
  });

  describe("object already processed", () => {
    it("does not apply it, records the ETag read and reports unchanged", async () => {
      const { deps, jobs, handler } = setup({ getObject: async () => object("etag-same") });
      const outcome = await runObjectJob(job({ processedEtag: "etag-same", etag: "etag-same" }), deps);
      expect(outcome).toBe("unchanged");
      expect(handler.applied).toEqual([]);
      expect(handler.removed).toEqual([]);
      expect(jobs.completed).toEqual([
        { owner: "worker-A", result: { removed: false, etag: "etag-same", size: BYTES.length, lastModified: MODIFIED, diagnostics: [] } },
      ]);
    });

    it("compares with the ETag read, not with the job's ETag", async () => {
      // the event said etag-new, but the bucket holds the version already processed
      const { deps, handler } = setup({ getObject: async () => object("etag-same") });
      expect(await runObjectJob(job({ etag: "etag-new", processedEtag: "etag-same" }), deps)).toBe("unchanged");
      expect(handler.applied).toEqual([]);
    });

    it("reports superseded when complete says so", async () => {
      const { deps } = setup({ getObject: async () => object("etag-same"), store: { completeReturns: "superseded" } });
      expect(await runObjectJob(job({ processedEtag: "etag-same" }), deps)).toBe("superseded");
    });

    it("applies it again when a re-run was asked for (a re-index)", async () => {
      const { deps, handler } = setup({ getObject: async () => object("etag-same") });
      expect(await runObjectJob(job({ processedEtag: "etag-same", reprocess: true }), deps)).toBe("applied");
      expect(handler.applied).toHaveLength(1);
    });
  });

  describe("object to apply", () => {
    const diagnostics: ObjectDiagnostic[] = [
      { severity: "warning", code: "CONFIG_LINE_NO_COMMA", message: "line 3 has no comma", line: 3 },
      { severity: "warning", code: "CONFIG_DUPLICATE_KEY", message: "Theme Color repeated", line: 5 },
    ];

    it("applies the bytes read inside complete and records the ETag read with the diagnostics", async () => {
      const { deps, jobs, handler } = setup({
        getObject: async () => object("etag-in-bucket"),
        apply: async () => ({ diagnostics }),
      });
      const outcome = await runObjectJob(job({ etag: "etag-from-event", processedEtag: "etag-old" }), deps);
      expect(outcome).toBe("applied");
      expect(handler.applied).toEqual([{ etag: "etag-in-bucket", bytes: BYTES, tx: TX, inComplete: true }]);
      expect(jobs.completed).toEqual([
        {
          owner: "worker-A",
          result: { removed: false, etag: "etag-in-bucket", size: BYTES.length, lastModified: MODIFIED, diagnostics },
        },
      ]);
      expect(jobs.failed).toEqual([]);
    });

    it("applies an object never processed before", async () => {
      const { deps, handler } = setup({ getObject: async () => object("etag-1") });
      expect(await runObjectJob(job({ processedEtag: null, etag: null }), deps)).toBe("applied");
      expect(handler.applied.map((a) => a.etag)).toEqual(["etag-1"]);
    });

    it("reports superseded when the object changed while the job ran", async () => {
      const { deps, handler } = setup({ getObject: async () => object("etag-in-bucket"), store: { completeReturns: "superseded" } });
      expect(await runObjectJob(job(), deps)).toBe("superseded");
      expect(handler.applied).toHaveLength(1);
    });
  });

  describe("failures", () => {
    it("a non-retryable error fails the object permanently with the ETag read", async () => {
      const { deps, jobs } = setup({
        getObject: async () => object("etag-in-bucket"),
        apply: async () => {
          throw new BotsyncError("CONFIG_INVALID_UTF8", "config.csv is not valid UTF-8 (byte 0xff at offset 12)");
        },
      });
      const outcome = await runObjectJob(job({ attempts: 0, etag: "etag-from-event" }), deps);
      expect(outcome).toBe("failed");
      expect(jobs.completed).toEqual([]);
      expect(jobs.failed).toHaveLength(1);
      expect(jobs.failed[0]!.owner).toBe("worker-A");
      expect(jobs.failed[0]!.job.id).toBe("17");
      expect(jobs.failed[0]!.failure.permanent).toBe(true);
      expect(jobs.failed[0]!.failure.etag).toBe("etag-in-bucket");
      expect(jobs.failed[0]!.failure.error).toContain("CONFIG_INVALID_UTF8");
      expect(jobs.failed[0]!.failure.error).toContain("byte 0xff at offset 12");
    });

    it("a retryable error is retried with backoff for the next attempt", async () => {
      const { deps, jobs } = setup({
        getObject: async () => {
          throw new BotsyncError("DRIVE_UNAVAILABLE", "connect ECONNREFUSED 127.0.0.1:9000", { retryable: true });
        },
      });
      const outcome = await runObjectJob(job({ attempts: 2 }), deps);
      expect(outcome).toBe("retry");
      expect(jobs.failed).toHaveLength(1);
      const failure = jobs.failed[0]!.failure;
      expect(failure.permanent).toBe(false);
      expect(failure.retryInMs).toBe(4000); // third attempt: 1 s, 2 s, 4 s
      expect(failure.etag).toBeUndefined(); // nothing was read
      expect(failure.error).toContain("DRIVE_UNAVAILABLE");
    });

    it("the first failure is retried after 1 s, and the delay is capped at 5 minutes", async () => {
      const retryable = new BotsyncError("DRIVE_UNAVAILABLE", "down", { retryable: true });
      const first = setup({ getObject: async () => { throw retryable; } });
      await runObjectJob(job({ attempts: 0 }), first.deps);
      expect(first.jobs.failed[0]!.failure.retryInMs).toBe(1000);

      const late = setup({ getObject: async () => { throw retryable; } });
      await runObjectJob(job({ attempts: 30 }), late.deps);
      expect(late.jobs.failed[0]!.failure.retryInMs).toBe(300000);
    });

    it("a retryable error after reading records the ETag read", async () => {
      const { deps, jobs } = setup({
        getObject: async () => object("etag-in-bucket"),
        apply: async () => {
          throw new BotsyncError("DATABASE_UNAVAILABLE", "connection reset", { retryable: true });
        },
      });
      expect(await runObjectJob(job({ attempts: 1 }), deps)).toBe("retry");
      expect(jobs.failed[0]!.failure).toMatchObject({ permanent: false, etag: "etag-in-bucket", retryInMs: 2000 });
    });

    it("OBJECT_TOO_LARGE from getObject fails permanently with the ETag in its details", async () => {
      const { deps, jobs, handler } = setup({
        getObject: async () => {
          throw new BotsyncError("OBJECT_TOO_LARGE", "object is 9 MB, limit 1 MB", { details: { etag: "etag-big", size: 9_000_000 } });
        },
      });
      const outcome = await runObjectJob(job({ etag: "etag-from-event" }), deps);
      expect(outcome).toBe("failed");
      expect(handler.applied).toEqual([]);
      expect(jobs.failed).toHaveLength(1);
      expect(jobs.failed[0]!.failure.permanent).toBe(true);
      expect(jobs.failed[0]!.failure.etag).toBe("etag-big");
      expect(jobs.failed[0]!.failure.error).toContain("OBJECT_TOO_LARGE");
    });

    it("an unknown Error is retried, not failed permanently", async () => {
      const { deps, jobs } = setup({
        getObject: async () => object("etag-in-bucket"),
        apply: async () => {
          throw new TypeError("cannot read properties of undefined");
        },
      });
      const outcome = await runObjectJob(job({ attempts: 3 }), deps);
      expect(outcome).toBe("retry");
      expect(jobs.failed).toHaveLength(1);
      expect(jobs.failed[0]!.failure).toMatchObject({ permanent: false, etag: "etag-in-bucket", retryInMs: 8000 });
      expect(jobs.failed[0]!.failure.error).toContain("cannot read properties of undefined");
    });

    it("a missing handler (INTERNAL) is retried, not failed permanently", async () => {
      const { deps, jobs, drive } = setup({ getObject: async () => object("etag-in-bucket"), noHandler: true });
      expect(await runObjectJob(job(), deps)).toBe("retry");
      expect(drive.reads).toEqual([]);
      expect(jobs.failed[0]!.failure.permanent).toBe(false);
      expect(jobs.failed[0]!.failure.error).toContain("INTERNAL");
    });

    it("a lost lease records nothing and reports lease-lost", async () => {
      const { deps, jobs, handler } = setup({
        getObject: async () => object("etag-in-bucket"),
        store: { completeThrows: new BotsyncError("JOB_LEASE_LOST", "lease of object 17 expired") },
      });
      expect(await runObjectJob(job(), deps)).toBe("lease-lost");
      expect(jobs.failed).toEqual([]);
      expect(jobs.completed).toEqual([]);
      expect(handler.applied).toEqual([]);
    });

    it("a lost lease during a removal records nothing either", async () => {
      const { deps, jobs } = setup({
        getObject: async () => null,
        store: { completeThrows: new BotsyncError("JOB_LEASE_LOST", "gone") },
      });
      expect(await runObjectJob(job(), deps)).toBe("lease-lost");
      expect(jobs.failed).toEqual([]);
    });

    it("swallows (and logs) an error from fail() itself", async () => {
      const { deps, jobs, log } = setup({
        getObject: async () => {
          throw new BotsyncError("DRIVE_UNAVAILABLE", "down", { retryable: true });
        },
        store: { failThrows: new Error("database went away") },
      });
      await expect(runObjectJob(job(), deps)).resolves.toBe("retry");
      expect(jobs.failed).toHaveLength(1);
      const errors = log.lines.filter((l) => l.level === "error");
      expect(errors).toHaveLength(1);
      expect(JSON.stringify(errors[0]!.fields)).toContain("database went away");
    });

    it("swallows an error from fail() for a permanent failure too", async () => {
      const { deps } = setup({
        getObject: async () => object("etag-in-bucket"),
        apply: async () => {
          throw new BotsyncError("CONFIG_INVALID_UTF8", "bad bytes");
        },
        store: { failThrows: new BotsyncError("DATABASE_UNAVAILABLE", "down", { retryable: true }) },
      });
      await expect(runObjectJob(job(), deps)).resolves.toBe("failed");
    });
  });
});

// ---- objects streamed to the handler (knowledge-base documents) -----------------------------------------

/** A body that hands out `pieces` pieces of 1 KiB and remembers how many were pulled and whether it was cancelled. */
function countingBody(pieces: number) {
  const state = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled === pieces) return controller.close();
        state.pulled++;
        controller.enqueue(new Uint8Array(1024).fill(0x61));
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { body, state };
}

function streamSetup(opts: {
  head: DriveObjectInfo | null;
  get?: (DriveObjectInfo & { pieces: number }) | null;
  admit?: StreamObjectJobHandler<JobTx>["admit"];
  prepare?: StreamObjectJobHandler<JobTx>["prepare"];
  maxBytes?: number;
}) {
  const calls: string[] = [];
  let body: ReturnType<typeof countingBody> | undefined;
  const drive: Drive & StreamingDrive = {
    ...fakeDrive(async () => {
      throw new Error("a stream handler must not buffer");
    }),
    statObject: async () => (calls.push("HEAD"), opts.head),
    openObject: async (_bucket, _key, maxBytes) => {
      calls.push(`GET ≤ ${maxBytes}`);
      if (!opts.get) return null;
      body = countingBody(opts.get.pieces);
      return { ...opts.get, body: body.body };
    },
  };
  const jobs = fakeJobStore();
  const handler: StreamObjectJobHandler<JobTx> & { prepared: Array<{ etag: string; size: number }> } = {
    read: "stream",
    maxBytes: opts.maxBytes ?? 1_000_000,
    prepared: [],
    admit: opts.admit,
    async prepare(input) {
      handler.prepared.push({ etag: input.etag, size: input.size });
      return opts.prepare ? opts.prepare(input) : { diagnostics: [] };
    },
    apply: async ({ prepared }) => prepared,
    remove: async () => void calls.push("remove"),
  };
  const kinds = new KindRegistry<JobTx>([register({ name: "kb", fileType: "kb", lane: "kb", matches: () => true, handler }, (tx: JobTx) => tx)]);
  const deps: JobDeps<JobTx> = { drive, jobs, kinds, owner: "worker-A", log: fakeLogger() };
  return { deps, jobs, handler, calls, body: () => body };
}

const kbJob = () => job({ kind: "kb", key: "demo.gbkb/docs/a.csv", filePath: "demo.gbai/demo.gbkb/docs/a.csv" });
const head = (etag: string, size: number): DriveObjectInfo => ({ key: "demo.gbkb/docs/a.csv", etag, size, lastModified: MODIFIED });

describe("runObjectJob with a streaming handler", () => {
  it("an object the handler refuses from its metadata is never downloaded and fails with the HEAD's ETag", async () => {
    const { deps, jobs, calls, handler } = streamSetup({
      head: head("etag-exe", 900_000_000),
      get: { ...head("etag-exe", 900_000_000), pieces: 1 },
      admit: () => {
        throw new BotsyncError("KB_UNSUPPORTED_FORMAT", 'unsupported document format ".exe"');
      },
    });
    expect(await runObjectJob(kbJob(), deps)).toBe("failed");
    expect(calls).toEqual(["HEAD"]);
    expect(handler.prepared).toEqual([]);
    expect(jobs.failed[0]!.failure).toMatchObject({ permanent: true, etag: "etag-exe", error: expect.stringContaining("KB_UNSUPPORTED_FORMAT") });
  });

  it("an object over the handler's limit is refused from its size alone", async () => {
    const { deps, jobs, calls } = streamSetup({ head: head("etag-big", 2_000_001), get: { ...head("etag-big", 2_000_001), pieces: 1 }, maxBytes: 2_000_000 });
    expect(await runObjectJob(kbJob(), deps)).toBe("failed");
    expect(calls).toEqual(["HEAD"]);
    expect(jobs.failed[0]!.failure).toMatchObject({ permanent: true, etag: "etag-big" });
    expect(jobs.failed[0]!.failure.error).toBe(
      "OBJECT_TOO_LARGE: demo.gbai/demo.gbkb/docs/a.csv is 2000001 bytes; the limit for this kind of object is 2000000",
    );
  });

  it("an object whose HEAD shows the processed ETag is not downloaded", async () => {
    const { deps, calls, jobs } = streamSetup({ head: head("etag-processed-before", 10), get: { ...head("etag-processed-before", 10), pieces: 1 } });
    expect(await runObjectJob(kbJob(), deps)).toBe("unchanged");
    expect(calls).toEqual(["HEAD"]);
    expect(jobs.completed[0]!.result).toMatchObject({ removed: false, etag: "etag-processed-before", size: 10 });
  });

  it("streams the body to prepare, records the ETag of the GET, and cancels what prepare left unread", async () => {
    const { deps, jobs, calls, handler, body } = streamSetup({
      head: head("etag-head", 100 * 1024),
      get: { ...head("etag-get", 100 * 1024), pieces: 100 },
      prepare: async ({ body }) => {
        const reader = body.getReader();
        await reader.read();
        await reader.read();
        reader.releaseLock();
        return { diagnostics: [{ severity: "warning", code: "kb-truncated", message: "cut" }] };
      },
    });
    expect(await runObjectJob(kbJob(), deps)).toBe("applied");
    expect(calls).toEqual(["HEAD", "GET ≤ 1000000"]);
    expect(handler.prepared).toEqual([{ etag: "etag-get", size: 100 * 1024 }]);
    expect(body()!.state).toEqual({ pulled: 2, cancelled: true });
    expect(jobs.completed[0]!.result).toMatchObject({ etag: "etag-get", diagnostics: [{ code: "kb-truncated" }] });
  });

  it("a prepare that fails before reading leaves no download open", async () => {
    const { deps, jobs, body } = streamSetup({
      head: head("etag-1", 10 * 1024),
      get: { ...head("etag-1", 10 * 1024), pieces: 10 },
      prepare: async () => {
        throw new BotsyncError("DATABASE_UNAVAILABLE", "down", { retryable: true });
      },
    });
    expect(await runObjectJob(kbJob(), deps)).toBe("retry");
    expect(body()!.state).toEqual({ pulled: 0, cancelled: true });
    expect(jobs.failed[0]!.failure).toMatchObject({ permanent: false, etag: "etag-1" });
  });

  it("an object missing at the HEAD, or deleted before the GET, is removed", async () => {
    const gone = streamSetup({ head: null });
    expect(await runObjectJob(kbJob(), gone.deps)).toBe("removed");
    expect(gone.calls).toEqual(["HEAD", "remove"]);
    const raced = streamSetup({ head: head("etag-1", 10), get: null });
    expect(await runObjectJob(kbJob(), raced.deps)).toBe("removed");
    expect(raced.calls).toEqual(["HEAD", "GET ≤ 1000000", "remove"]);
  });
});
