/**
 * Runs one object kind's job through the real runner (runObjectJob) in memory: a drive holding at most one
 * object, and a job store whose `complete` marks the time the job's transaction is open — so a test can
 * check that the kind's store is written inside it and nothing else is, and what was recorded. The kind's
 * store is the test's own fake, bound as the production registry binds it.
 */
import type { ClaimedJob } from "../../src/core/jobs/job-types.js";
import { KindRegistry, register } from "../../src/core/jobs/kind-registry.js";
import type { ObjectKind } from "../../src/core/jobs/object-kind.js";
import { runObjectJob } from "../../src/core/jobs/run-object-job.js";
import type { Drive, DriveObjectInfo, StreamingDrive } from "../../src/core/ports/drive.js";
import type { JobFailure, JobResult, JobRunOutcome, JobStore } from "../../src/core/ports/job-store.js";
import { memoryLogger } from "./app-fakes.js";

/** Whether the job's transaction is open now; ports a test fakes ask it to prove where they are called. */
export interface Transaction {
  readonly open: boolean;
}

export interface JobRun {
  outcome: JobRunOutcome;
  /** what `complete` recorded */
  completed: JobResult[];
  failed: JobFailure[];
  /** the drive calls, in order: "get", "stat", "open" */
  driveCalls: string[];
  log: ReturnType<typeof memoryLogger>;
}

export function claimedJob(bot: string, key: string, overrides: Partial<ClaimedJob> = {}): ClaimedJob {
  return {
    id: "1",
    botId: `id-${bot}`,
    bot,
    bucket: `${bot}.gbai`,
    key,
    filePath: `${bot}.gbai/${key}`,
    kind: "test",
    etag: "etag-1",
    present: true,
    processedEtag: null,
    reprocess: false,
    queuedAt: null,
    attempts: 0,
    revision: "1",
    ...overrides,
  };
}

/**
 * Runs `job` of `kind` on a drive that holds `content` under the job's key (null: the object is gone). The
 * store the kind gets is `store(transaction)`.
 */
export async function runKindJob<Store>(
  kind: ObjectKind<Store>,
  store: (transaction: Transaction) => Store,
  job: ClaimedJob,
  content: Uint8Array | null,
  options: { etag?: string } = {},
): Promise<JobRun> {
  const transaction = { open: false };
  const etag = options.etag ?? "etag-1";
  const driveCalls: string[] = [];
  const info = (): DriveObjectInfo | null => (content === null ? null : { key: job.key, etag, size: content.length });
  const unused = (name: string) => () => {
    throw new Error(`drive.${name} is not used by a job`);
  };
  const drive: Drive & StreamingDrive = {
    listBuckets: unused("listBuckets"),
    bucketExists: unused("bucketExists"),
    listObjects: unused("listObjects"),
    check: unused("check"),
    getObject: async () => (driveCalls.push("get"), content === null ? null : { ...info()!, bytes: content }),
    statObject: async () => (driveCalls.push("stat"), info()),
    openObject: async () => {
      driveCalls.push("open");
      if (content === null) return null;
      return { ...info()!, body: new Blob([new Uint8Array(content)]).stream() };
    },
  };
  const completed: JobResult[] = [];
  const failed: JobFailure[] = [];
  const jobs: JobStore<Transaction> = {
    claim: unused("claim"),
    renew: async (ids) => ids,
    async complete(_job, _owner, work) {
      transaction.open = true;
      try {
        completed.push(await work(transaction));
      } finally {
        transaction.open = false;
      }
      return "done";
    },
    async fail(_job, _owner, failure) {
      failed.push(failure);
    },
  };
  const log = memoryLogger();
  const kinds = new KindRegistry<Transaction>([register({ ...kind, name: job.kind } as ObjectKind<Store>, store)]);
  const outcome = await runObjectJob(job, { drive, jobs, kinds, owner: "test-worker", log });
  return { outcome, completed, failed, driveCalls, log };
}

export type StoreCall = [method: string, args: unknown[]];

/**
 * `methods` as a store bound to `transaction`: each call throws unless the job's transaction is open, and
 * is recorded in `calls` (shared by every binding, as the job may bind the store more than once).
 */
export function transactionalStore<Store extends object>(transaction: Transaction, calls: StoreCall[], methods: Store): Store {
  return Object.fromEntries(
    Object.entries(methods).map(([name, method]) => [
      name,
      (...args: unknown[]) => {
        if (!transaction.open) throw new Error(`store.${name} was called outside the job's transaction`);
        calls.push([name, args]);
        return (method as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as Store;
}
