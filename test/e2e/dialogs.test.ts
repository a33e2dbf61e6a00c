/**
 * Dialog wiring: a .bas upload compiles into the work dir, basic_tools and system_automations; a broken
 * upload keeps the last good .ast (and says whether there was one) and shows its diagnostics; deletes
 * clean up; subfolders never collide. Every .ast the service writes loads in the runtime's engine.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { compileBasic } from "../../src/core/basic/compile.js";
import { RHAICHECK_ABSENT, RHAICHECK_PRESENT, rhaicheckProblem, rhaicheckSources } from "../harness/rhaicheck.js";
import { startStack, type Stack } from "../harness/stack.js";

let stack: Stack;

const ORDER_V1 = `PARAM product AS STRING LIKE "pizza" DESCRIPTION "what to order"
DESCRIPTION "Orders a product"
SET SCHEDULE "every hour"
TALK "Ordering " + product
`;
const ORDER_BROKEN = `PARAM product AS STRING DESCRIPTION "what to order"
IF product = "x" THEN
  TALK "x"
TALK "unterminated
`;
const ORDER_V2 = `PARAM product AS STRING DESCRIPTION "what to order"
DESCRIPTION "Orders a product, v2"
SET SCHEDULE "0 9 * * 1-5"
TALK "Ordering v2 " + product
`;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

/** A bot of its own (its bucket created): each test starts from an empty one. */
async function dialogBot(name: string) {
  const bucket = `${name}.gbai`;
  await stack.createBucket(bucket);
  const dir = join(stack.workDir, bucket, `${name}.gbdialog`);
  return {
    bucket,
    dir,
    /** uploads `{name}.gbdialog/{file}` and waits for its job */
    async put(file: string, text: string): Promise<void> {
      await stack.put(bucket, `${name}.gbdialog/${file}`, text);
      await stack.settle();
    },
    async remove(file: string): Promise<void> {
      await stack.remove(bucket, `${name}.gbdialog/${file}`);
      await stack.settle();
    },
    artifact: (file: string) => readFile(join(dir, file), "utf8"),
    async dialog(file: string): Promise<any> {
      const body = await (await stack.api(`/api/bots/${name}/dialogs`)).json<any>();
      return body.dialogs.find((d: { key: string }) => d.key === `${name}.gbdialog/${file}`);
    },
    tools: () =>
      stack.db.sql<{ tool_name: string; file_path: string; is_active: boolean; mcp_json: any; tool_json: any }[]>`
        select tool_name, file_path, is_active, mcp_json, tool_json from basic_tools where file_path like ${`${bucket}/%`} order by tool_name`,
    async schedules(param: string): Promise<string[]> {
      const rows = await stack.db.sql<{ schedule: string }[]>`
        select trim(a.schedule) as schedule from system_automations a join bots b on b.id = a.bot_id
        where b.name = ${name} and a.kind = 0 and a.param = ${param} and a.is_active order by a.schedule`;
      return rows.map((r) => r.schedule);
    },
  };
}

describe("dialog jobs", () => {
  it("compiles an upload into the .ast, .mcp.json, .tool.json, basic_tools and system_automations", async () => {
    const bot = await dialogBot("dlg-compile");
    await bot.put("order.bas", ORDER_V1);
    expect(bot.dir).toMatch(/dlg-compile\.gbai\/dlg-compile\.gbdialog$/);
    const expected = compileBasic(ORDER_V1, { name: "order" });
    expect(await bot.artifact("order.ast")).toBe(expected.ast);
    expect(JSON.parse(await bot.artifact("order.mcp.json"))).toEqual(expected.tool.mcp);
    expect(JSON.parse(await bot.artifact("order.tool.json"))).toEqual(expected.tool.openai);
    const [tool] = await bot.tools();
    expect(tool).toMatchObject({ tool_name: "order", file_path: `${bot.bucket}/dlg-compile.gbdialog/order.bas`, is_active: true });
    expect(tool!.mcp_json).toMatchObject({ name: "order", description: "Orders a product" });
    expect(tool!.tool_json).toEqual(expected.tool.openai);
    expect(await bot.schedules("order")).toEqual(["0 * * * *"]);
  });

  it("a broken upload fails with every diagnostic and keeps the last good .ast", async () => {
    const bot = await dialogBot("dlg-broken");
    await bot.put("order.bas", ORDER_V1);
    const before = await bot.artifact("order.ast");
    await bot.put("order.bas", ORDER_BROKEN);
    expect(await bot.artifact("order.ast")).toBe(before);
    const dialog = await bot.dialog("order.bas");
    expect(dialog.status).toBe("failed");
    expect(dialog.lastError).toMatch(/^BASIC_COMPILE_FAILED: \d+ error\(s\); first at \d+:\d+: .*; the last good \.ast is kept$/);
    const errors = dialog.diagnostics.filter((d: any) => d.severity === "error");
    expect(errors.length).toBeGreaterThanOrEqual(2);
    for (const e of errors) {
      expect(e.line).toBeGreaterThanOrEqual(2);
      expect(e.column).toBeGreaterThanOrEqual(1);
    }
    expect(dialog.tool).toMatchObject({ name: "order", active: true });
    expect(dialog.schedules).toEqual(["0 * * * *"]);
    // the same diagnostics in GET /api/bots/:bot
    const detail = await (await stack.api("/api/bots/dlg-broken")).json<any>();
    expect(detail.objects.find((o: any) => o.key === "dlg-broken.gbdialog/order.bas").diagnostics).toEqual(dialog.diagnostics);
  });

  it("a broken new upload says that no .ast was written, since there is no earlier good one", async () => {
    const bot = await dialogBot("dlg-fresh");
    await bot.put("fresh.bas", 'TALK "hello"\nCLEAR SUGGESTIONS\n');
    expect(existsSync(join(bot.dir, "fresh.ast"))).toBe(false);
    const dialog = await bot.dialog("fresh.bas");
    expect(dialog.status).toBe("failed");
    expect(dialog.lastError).toMatch(/^BASIC_COMPILE_FAILED: 1 error\(s\); first at 2:1: CLEAR SUGGESTIONS: the botserver runtime registers no CLEAR SUGGESTIONS syntax .*; no \.ast was written \(there is no earlier good version\)$/);
    expect(dialog.lastError).not.toContain("the last good .ast is kept");
    expect(dialog.diagnostics).toEqual([expect.objectContaining({ severity: "error", code: "no-runtime-form", line: 2, column: 1 })]);
  });

  it("warnings are shown and do not stop the .ast", async () => {
    const bot = await dialogBot("dlg-warned");
    await bot.put("warned.bas", 'TALK "saving"\nWRITE "notes.txt"\n');
    expect(await bot.artifact("warned.ast")).toBe('TALK "saving";\nWRITE "notes.txt", "";\n');
    const dialog = await bot.dialog("warned.bas");
    expect(dialog.status).toBe("synced");
    expect(dialog.diagnostics).toEqual([expect.objectContaining({ severity: "warning", code: "padded-arguments", line: 2, column: 1 })]);
  });

  it("a fixed upload recompiles and replaces the schedule; removing the SET SCHEDULE line removes it", async () => {
    const bot = await dialogBot("dlg-fixed");
    await bot.put("order.bas", ORDER_V1);
    await bot.put("order.bas", ORDER_BROKEN);
    await bot.put("order.bas", ORDER_V2);
    expect(await bot.artifact("order.ast")).toBe(compileBasic(ORDER_V2, { name: "order" }).ast);
    expect(await bot.schedules("order")).toEqual(["0 9 * * 1-5"]);
    const [tool] = await bot.tools();
    expect(tool!.mcp_json.description).toBe("Orders a product, v2");
    await bot.put("order.bas", ORDER_V2.replace(/^SET SCHEDULE.*\n/m, ""));
    expect(await bot.schedules("order")).toEqual([]);
  });

  it("scripts in subfolders get distinct names; a name claimed twice fails instead of overwriting", async () => {
    const bot = await dialogBot("dlg-names");
    await bot.put("sales/quote.bas", 'TALK "quote"\n');
    const original = await bot.artifact("sales__quote.ast");
    await bot.put("sales__quote.bas", 'TALK "impostor"\n');
    expect(await bot.artifact("sales__quote.ast")).toBe(original);
    expect(await bot.dialog("sales__quote.bas")).toMatchObject({
      status: "failed",
      lastError: `DIALOG_NAME_TAKEN: tool name "sales__quote" already belongs to ${bot.bucket}/dlg-names.gbdialog/sales/quote.bas; rename one of the scripts`,
    });
  });

  it("deleting a .bas removes its artifacts, deactivates its tool and removes its schedules", async () => {
    const bot = await dialogBot("dlg-delete");
    await bot.put("order.bas", ORDER_V1);
    await bot.put("sales/quote.bas", 'TALK "quote"\n');
    expect(await bot.schedules("order")).toEqual(["0 * * * *"]);
    await bot.remove("order.bas");
    for (const file of ["order.ast", "order.mcp.json", "order.tool.json"]) expect(existsSync(join(bot.dir, file)), file).toBe(false);
    expect((await bot.tools()).find((t) => t.tool_name === "order")).toMatchObject({ is_active: false });
    expect(await bot.schedules("order")).toEqual([]);
    // the other scripts are untouched
    expect(existsSync(join(bot.dir, "sales__quote.ast"))).toBe(true);
  });
});

describe.skipIf(!RHAICHECK_PRESENT)(`what the service wrote runs${RHAICHECK_PRESENT ? "" : ` (${RHAICHECK_ABSENT})`}`, () => {
  it("every .ast the service writes loads in the runtime's engine with no unresolved call and no arity mismatch", async () => {
    const bot = await dialogBot("dlg-runs");
    const written = new Map<string, string>();
    for (const [file, text] of [
      ["order.bas", ORDER_V1],
      ["warned.bas", 'TALK "saving"\nWRITE "notes.txt"\n'],
      ["sales/quote.bas", 'TALK "quote"\n'],
      ["order.bas", ORDER_V2],
    ] as const) {
      await bot.put(file, text);
      for (const ast of (await readdir(bot.dir)).filter((f) => f.endsWith(".ast"))) written.set(`${ast} #${written.size}`, await bot.artifact(ast));
    }
    expect(new Set(written.values()).size).toBeGreaterThanOrEqual(4);
    const problems = [...rhaicheckSources(written)].flatMap(([name, check]) => {
      const problem = rhaicheckProblem(check);
      return problem === null ? [] : [`${name} ${problem}`];
    });
    expect(problems).toEqual([]);
  });
});

describe("validate before upload", () => {
  // The route's validation and status codes are the handler's (src/handlers/api/validate.test.ts); here the
  // service validates in its thread pool, with the runtime profile the jobs use.
  it("POST /api/validate returns diagnostics and the would-be artifacts", async () => {
    const ok = await (await stack.api("/api/validate", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "bas", name: "order", text: ORDER_V1 }) })).json<any>();
    const expected = compileBasic(ORDER_V1, { name: "order" });
    expect(ok).toEqual({ kind: "bas", ok: true, diagnostics: [], artifacts: { ast: expected.ast, mcp: expected.tool.mcp, tool: expected.tool.openai }, schedules: ["0 * * * *"] });
    const json = { "content-type": "application/json" };
    const bad = await (await stack.api("/api/validate", { method: "POST", headers: json, body: JSON.stringify({ kind: "bas", text: ORDER_BROKEN }) })).json<any>();
    expect(bad.ok).toBe(false);
    expect(bad.artifacts).toBeNull();
    expect(bad.diagnostics.length).toBeGreaterThanOrEqual(2);
    // Runtime problems: a call the runtime lacks is a warning (it loads), a statement it lacks an error.
    const runtime = await (await stack.api("/api/validate", { method: "POST", headers: json, body: JSON.stringify({ kind: "bas", text: "x = FORMAT(1)\nTALK TO phone, x\n" }) })).json<any>();
    expect(runtime.ok).toBe(false);
    expect(runtime.diagnostics.map((d: any) => [d.severity, d.code, d.line, d.column])).toEqual([
      ["warning", "function-arity", 1, 5],
      ["error", "no-runtime-form", 2, 1],
    ]);
  });

  it("botsync validate prints file:line:col and exits 1 on errors", async () => {
    const dir = await mkdtemp(join(tmpdir(), "botsync-validate-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, "good.bas"), ORDER_V1);
    await writeFile(join(dir, "broken.bas"), ORDER_BROKEN);
    await writeFile(join(dir, "config.csv"), "a,1\nnocomma\n");
    const bin = join(import.meta.dirname, "..", "..", "bin", "botsync.mjs");
    const run = promisify(execFile);
    const good = await run(process.execPath, [bin, "validate", join(dir, "good.bas"), join(dir, "config.csv")]);
    expect(good.stdout).toBe(`${join(dir, "config.csv")}:2:1: warning: line 2: no comma; expected "key,value" (got "nocomma")\n`);
    const failed = await run(process.execPath, [bin, "validate", join(dir, "broken.bas")]).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(new RegExp(`^${join(dir, "broken.bas").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:\\d+:\\d+: error: `, "m"));
  });
});
