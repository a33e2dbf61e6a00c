/**
 * The config slice's job through the real runner, in memory: config.csv parsed and applied through the
 * ConfigStore inside the job's transaction, the cipher asked before it, bad bytes refused with nothing
 * written, a deleted file's keys removed — and exactly which keys are config.csv.
 */
import { describe, expect, it } from "vitest";
import type { ValueCipher } from "../ports/value-cipher.js";
import { claimedJob, runKindJob, transactionalStore, type StoreCall, type Transaction } from "../../../test/harness/object-job-run.js";
import { configKind } from "./config-object-job.js";
import type { ConfigApplySummary, ConfigStore } from "./config-store.js";

const JOB = claimedJob("demo", "demo.gbot/config.csv");
const utf8 = (text: string) => new TextEncoder().encode(text);
const CIPHER: ValueCipher = { encrypt: async (_bot, plain) => `sealed(${plain})`, decrypt: async (_bot, sealed) => sealed.slice(7, -1) };

function configStore(calls: StoreCall[], summary: Partial<ConfigApplySummary> = {}) {
  return (transaction: Transaction) =>
    transactionalStore<ConfigStore>(transaction, calls, {
      applyConfigFile: async () => ({ inserted: 0, updated: 0, unchanged: 0, deleted: 0, diagnostics: [], ...summary }),
      removeConfigFile: async () => ({ deleted: 2 }),
    });
}

describe("the config job", () => {
  it("applies the parsed file through the store in the job's transaction, with the cipher asked before it", async () => {
    const calls: StoreCall[] = [];
    const asked: boolean[] = [];
    let transaction: Transaction | undefined;
    const kind = configKind(async () => (asked.push(transaction?.open ?? false), CIPHER));
    const run = await runKindJob(kind, (tx) => ((transaction = tx), configStore(calls)(tx)), JOB, utf8("name,value\nBot Name,Demo\nllm-temperature,0.2\nnocomma\n"));
    expect(run.outcome).toBe("applied");
    expect(asked).toEqual([false]);
    expect(calls).toHaveLength(1);
    const [method, [input]] = calls[0]! as [string, [Parameters<ConfigStore["applyConfigFile"]>[0]]];
    expect(method).toBe("applyConfigFile");
    expect(input).toMatchObject({ botId: JOB.botId, filePath: JOB.filePath, etag: "etag-1", cipher: CIPHER });
    expect(input.entries.map((e) => [e.key, e.value, e.type, e.line])).toEqual([
      ["Bot Name", "Demo", "string", 2],
      ["llm-temperature", "0.2", "number", 3],
    ]);
    expect(input.diagnostics.map((d) => [d.code, d.line])).toEqual([["missing-comma", 4]]);
    // what parsing and applying found, recorded with the ETag read
    expect(run.completed).toEqual([
      { removed: false, etag: "etag-1", size: expect.any(Number), diagnostics: [expect.objectContaining({ severity: "warning", code: "missing-comma", line: 4 })] },
    ]);
  });

  it("records the store's own findings next to the parser's, and stores values open without a master key", async () => {
    const calls: StoreCall[] = [];
    const stored = { line: 1, code: "stored-unencrypted" as const, message: "smtp-password is stored unencrypted: no master key is configured" };
    const run = await runKindJob(configKind(async () => null), configStore(calls, { diagnostics: [stored] }), JOB, utf8("smtp-password,s3cret\n"));
    expect((calls[0]![1][0] as { cipher: unknown }).cipher).toBeNull();
    expect(run.completed[0]).toMatchObject({ diagnostics: [{ severity: "warning", code: "stored-unencrypted", message: stored.message, line: 1 }] });
  });

  it("fails a file that is not UTF-8 for good, naming the line, and writes nothing", async () => {
    const calls: StoreCall[] = [];
    const run = await runKindJob(configKind(async () => null), configStore(calls), JOB, new Uint8Array([0x61, 0x2c, 0x31, 0x0a, 0x62, 0x2c, 0xe7, 0x0a]));
    expect(run.outcome).toBe("failed");
    expect(run.failed).toEqual([expect.objectContaining({ permanent: true, etag: "etag-1", error: expect.stringMatching(/^CONFIG_INVALID_UTF8: .*line 2, byte offset 6/) })]);
    expect(calls).toEqual([]);
    expect(run.completed).toEqual([]);
  });

  it("removes what the file wrote when it is gone from the bucket", async () => {
    const calls: StoreCall[] = [];
    const run = await runKindJob(configKind(async () => null), configStore(calls), JOB, null);
    expect(run.outcome).toBe("removed");
    expect(calls).toEqual([["removeConfigFile", [{ botId: JOB.botId, filePath: JOB.filePath }]]]);
  });

  it("claims exactly {bot}.gbot/config.csv", () => {
    const { matches } = configKind(async () => null);
    expect(matches("demo", "demo.gbot/config.csv")).toBe(true);
    for (const key of ["demo.gbot/old/config.csv", "demo.gbot/myconfig.csv", "demo.gbot/Config.csv", "other.gbot/config.csv", "demo.gbdialog/config.csv"]) {
      expect(matches("demo", key), key).toBe(false);
    }
  });
});
