import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, API_TOKEN, type Stack } from "../harness/stack.js";
import { createTestDatabase } from "../harness/test-database.js";
import { migrations } from "../../src/adapters/db/migrations/index.js";

const run = promisify(execFile);
const bin = join(import.meta.dirname, "..", "..", "bin", "botsync.mjs");
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  await stack.createBucket("cli.gbai");
  await stack.put("cli.gbai", "cli.gbot/config.csv", "a,1\nbroken line\n");
  await stack.settle();
});
afterAll(async () => {
  await stack?.close();
});

function botsync(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [bin, ...args], { env: { ...process.env, BOTSYNC_URL: stack.service.url, API_TOKEN, ...env } });
}

describe("botsync CLI", () => {
  it("status lists bots and shows one bot with its diagnostics", async () => {
    const all = await botsync(["status"]);
    expect(all.stdout).toMatch(/^cli\s+1 synced\s+0 pending\s+0 retrying\s+0 failed$/m);
    const one = await botsync(["status", "cli"]);
    expect(one.stdout).toContain("synced   cli.gbot/config.csv");
    expect(one.stdout).toContain("line 2: ");
    expect(one.stdout).toContain("in sync with the bucket");
  });

  it("sync reconciles a bot and reports what it queued", async () => {
    stack.notifications.mode = "drop";
    await stack.put("cli.gbai", "cli.gbot/config.csv", "a,2\n");
    stack.notifications.mode = "deliver";
    const out = await botsync(["sync", "cli", "--json"]);
    expect(JSON.parse(out.stdout)).toMatchObject({ status: "done", queued: 1 });
  });

  it("fails with a clear message and exit code 1 without a token or for an unknown bot", async () => {
    await expect(botsync(["status"], { API_TOKEN: "" })).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("API token is required") });
    await expect(botsync(["status", "nobody"])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('no bot named "nobody"') });
  });

  it("migrate creates the schema in an empty database, then finds it up to date", async () => {
    const db = await createTestDatabase({ migrate: false });
    try {
      const first = await botsync(["migrate"], { DATABASE_URL: db.url });
      expect(first.stdout).toMatch(new RegExp(`^applied ${migrations.map((m) => m.id).join(", ")}$`, "m"));
      const second = await botsync(["migrate"], { DATABASE_URL: db.url });
      expect(second.stdout.trim()).toBe("database is up to date");
      const tables = await db.sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`;
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining(["bots", "bot_configuration", "gbot_config_sync", "drive_files", "basic_tools", "system_automations", "botsync_events", "botsync_config_state"]),
      );
    } finally {
      await db.drop();
    }
  });
});
