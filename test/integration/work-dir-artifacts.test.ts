import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkDirArtifacts } from "../../src/adapters/artifacts/work-dir-artifacts.js";
import { dialogToolName } from "../../src/core/dialogs/dialog-name.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "botsync-work-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("WorkDirArtifacts", () => {
  it("writes into the botserver's layout and leaves no temporary file behind", async () => {
    const store = new WorkDirArtifacts(join(root, "work"));
    await store.write("sales", "start.ast", "TALK 1;\n");
    await store.write("sales", "start.ast", "TALK 2;\n");
    const dir = join(root, "work", "sales.gbai", "sales.gbdialog");
    expect(await readdir(dir)).toEqual(["start.ast"]);
    expect(await readFile(join(dir, "start.ast"), "utf8")).toBe("TALK 2;\n");
    expect(store.locate("sales", "my tool.mcp.json")).toBe(join(dir, "my tool.mcp.json"));
    await store.remove("sales", "start.ast");
    await store.remove("sales", "start.ast");
    expect(await readdir(dir)).toEqual([]);
  });

  it("never writes outside WORK_DIR", async () => {
    const store = new WorkDirArtifacts(join(root, "work"));
    for (const file of ["../x.ast", "..", ".hidden", "a/b.ast", "a\\b.ast", "x\u0000.ast", "/etc/passwd"]) {
      expect(() => store.locate("sales", file), file).toThrow(expect.objectContaining({ code: "INVALID_KEY" }));
    }
    for (const bot of ["..", "../etc", "Sales", "a/b", ""]) {
      expect(() => store.locate(bot, "start.ast"), bot).toThrow(expect.objectContaining({ code: "INVALID_BOT_NAME" }));
    }
  });
});

describe("dialogToolName", () => {
  it("keeps top-level names and joins folders with __", () => {
    expect(dialogToolName("sales", "sales.gbdialog/start.bas")).toBe("start");
    expect(dialogToolName("sales", "sales.gbdialog/Quote.BAS")).toBe("Quote");
    expect(dialogToolName("sales", "sales.gbdialog/a/b/c.bas")).toBe("a__b__c");
  });
});
