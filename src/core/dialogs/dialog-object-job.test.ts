/**
 * The dialog slice's job through the real runner, in memory: a script compiled with the real compiler, its
 * artifacts written and its basic_tools row and schedules applied through the DialogStore inside the job's
 * transaction; a script with errors, a name another script owns, or bytes that are not UTF-8 write nothing.
 */
import { describe, expect, it } from "vitest";
import { compileBasic } from "../basic/compile.js";
import type { ArtifactStore } from "../ports/artifact-store.js";
import { claimedJob, runKindJob, transactionalStore, type StoreCall, type Transaction } from "../../../test/harness/object-job-run.js";
import { dialogKind } from "./dialog-object-job.js";
import type { DialogStore } from "./dialog-store.js";

const utf8 = (text: string) => new TextEncoder().encode(text);
const SCRIPT = 'SET SCHEDULE "0 9 * * *"\nTALK "Good morning"\n';
const SALES = claimedJob("demo", "demo.gbdialog/sales/quote.bas");

class MemoryArtifacts implements ArtifactStore {
  readonly files = new Map<string, string>();
  readonly removed: string[] = [];
  async write(bot: string, file: string, content: string) {
    this.files.set(`${bot}/${file}`, content);
  }
  async remove(bot: string, file: string) {
    this.removed.push(`${bot}/${file}`);
    this.files.delete(`${bot}/${file}`);
  }
  locate(bot: string, file: string) {
    return `/work/${bot}.gbai/${bot}.gbdialog/${file}`;
  }
}

/** A dialog store whose basic_tools has `owner` as the owner of every tool name (null: the name is free). */
function dialogStore(calls: StoreCall[], owner: string | null = null) {
  return (transaction: Transaction) =>
    transactionalStore<DialogStore>(transaction, calls, {
      toolNameOwner: async () => owner,
      applyDialog: async () => {},
      removeDialog: async () => {},
    });
}

describe("the dialog job", () => {
  it("compiles the script, writes its .ast and tool files, and applies its tool and schedules in the transaction", async () => {
    const artifacts = new MemoryArtifacts();
    const calls: StoreCall[] = [];
    const run = await runKindJob(dialogKind(artifacts), dialogStore(calls), SALES, utf8(SCRIPT));
    expect(run.outcome).toBe("applied");
    const compiled = compileBasic(SCRIPT, { name: "sales__quote" });
    expect(Object.fromEntries(artifacts.files)).toEqual({
      "demo/sales__quote.ast": compiled.ast,
      "demo/sales__quote.mcp.json": JSON.stringify(compiled.tool.mcp, null, 2),
      "demo/sales__quote.tool.json": JSON.stringify(compiled.tool.openai, null, 2),
    });
    expect(calls).toEqual([
      ["toolNameOwner", [{ botId: SALES.botId, toolName: "sales__quote" }]],
      [
        "applyDialog",
        [
          {
            botId: SALES.botId,
            filePath: SALES.filePath,
            toolName: "sales__quote",
            astPath: "/work/demo.gbai/demo.gbdialog/sales__quote.ast",
            mcp: compiled.tool.mcp,
            tool: compiled.tool.openai,
            schedules: [expect.objectContaining({ cron: "0 9 * * *" })],
          },
        ],
      ],
    ]);
  });

  it("drops the byte-order mark an editor wrote", async () => {
    const artifacts = new MemoryArtifacts();
    const run = await runKindJob(dialogKind(artifacts), dialogStore([]), SALES, new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(SCRIPT)]));
    expect(run.outcome).toBe("applied");
    expect(artifacts.files.get("demo/sales__quote.ast")).toBe(compileBasic(SCRIPT, { name: "sales__quote" }).ast);
  });

  it("fails a script with errors for good with every diagnostic, and writes nothing", async () => {
    for (const [owner, kept] of [
      [null, "no .ast was written (there is no earlier good version)"],
      [SALES.filePath, "the last good .ast is kept"],
    ] as const) {
      const artifacts = new MemoryArtifacts();
      const calls: StoreCall[] = [];
      const run = await runKindJob(dialogKind(artifacts), dialogStore(calls, owner), SALES, utf8('IF x THEN\nTALK "never closed"\n'));
      expect(run.outcome).toBe("failed");
      const [failure] = run.failed;
      expect(failure).toMatchObject({ permanent: true, etag: "etag-1", error: expect.stringMatching(new RegExp(`^BASIC_COMPILE_FAILED: \\d+ error\\(s\\); first at \\d+:\\d+: .*; ${kept.replace(/[()]/g, "\\$&")}$`)) });
      expect(failure!.diagnostics!.some((d) => d.severity === "error")).toBe(true);
      expect(artifacts.files.size).toBe(0);
      expect(calls.map(([method]) => method)).toEqual(["toolNameOwner"]);
    }
  });

  it("refuses a tool name another script owns, naming it, and writes nothing", async () => {
    const artifacts = new MemoryArtifacts();
    const calls: StoreCall[] = [];
    const run = await runKindJob(dialogKind(artifacts), dialogStore(calls, "demo.gbai/demo.gbdialog/sales__quote.bas"), SALES, utf8(SCRIPT));
    expect(run.failed).toEqual([
      expect.objectContaining({ permanent: true, error: 'DIALOG_NAME_TAKEN: tool name "sales__quote" already belongs to demo.gbai/demo.gbdialog/sales__quote.bas; rename one of the scripts' }),
    ]);
    expect(artifacts.files.size).toBe(0);
    expect(calls.map(([method]) => method)).toEqual(["toolNameOwner"]);
  });

  it("fails bytes that are not UTF-8 for good before compiling", async () => {
    const calls: StoreCall[] = [];
    const run = await runKindJob(dialogKind(new MemoryArtifacts()), dialogStore(calls), SALES, new Uint8Array([0x54, 0x41, 0x4c, 0x4b, 0x20, 0xe7]));
    expect(run.failed).toEqual([expect.objectContaining({ permanent: true, error: `BASIC_INVALID_UTF8: ${SALES.key} is not valid UTF-8; save it as UTF-8` })]);
    expect(calls).toEqual([]);
  });

  it("a removed script takes its artifacts and tool with it — unless another script owns the name", async () => {
    const mine = new MemoryArtifacts();
    const calls: StoreCall[] = [];
    expect((await runKindJob(dialogKind(mine), dialogStore(calls, SALES.filePath), SALES, null)).outcome).toBe("removed");
    expect(mine.removed.sort()).toEqual(["demo/sales__quote.ast", "demo/sales__quote.mcp.json", "demo/sales__quote.tool.json"]);
    expect(calls.at(-1)).toEqual(["removeDialog", [{ botId: SALES.botId, filePath: SALES.filePath, toolName: "sales__quote" }]]);

    const theirs = new MemoryArtifacts();
    const untouched: StoreCall[] = [];
    expect((await runKindJob(dialogKind(theirs), dialogStore(untouched, "demo.gbai/demo.gbdialog/sales__quote.bas"), SALES, null)).outcome).toBe("removed");
    expect(theirs.removed).toEqual([]);
    expect(untouched.map(([method]) => method)).toEqual(["toolNameOwner"]);
  });

  it("claims .bas files (any case) under {bot}.gbdialog/ only", () => {
    const { matches } = dialogKind(new MemoryArtifacts());
    for (const key of ["demo.gbdialog/start.bas", "demo.gbdialog/a/b/START.BAS"]) expect(matches("demo", key), key).toBe(true);
    for (const key of ["demo.gbdialog/.bas", "demo.gbot/start.bas", "start.bas", "demo.gbdialog/start.bas.txt", "other.gbdialog/start.bas"]) {
      expect(matches("demo", key), key).toBe(false);
    }
  });
});
