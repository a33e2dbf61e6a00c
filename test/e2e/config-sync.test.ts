import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../harness/stack.js";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function configOf(bot: string): Promise<Record<string, { value: string; type: string }>> {
  const rows = await stack.db.sql<{ config_key: string; config_value: string; config_type: string }[]>`
    select c.config_key, c.config_value, c.config_type from bot_configuration c join bots b on b.id = c.bot_id where b.name = ${bot}`;
  return Object.fromEntries(rows.map((r) => [r.config_key, { value: r.config_value, type: r.config_type }]));
}

describe("config.csv from a drive upload to bot_configuration", () => {
  it("creates the bot and its config rows from the first upload", async () => {
    await stack.createBucket("alpha.gbai");
    await stack.put("alpha.gbai", "alpha.gbot/config.csv", "name,value\nBot Name,Alpha\nllm-temperature,0.7\nllm-cache,true\n");
    await stack.settle();
    expect(await configOf("alpha")).toEqual({
      "Bot Name": { value: "Alpha", type: "string" },
      "llm-temperature": { value: "0.7", type: "number" },
      "llm-cache": { value: "true", type: "boolean" },
    });
    const [bot] = await stack.db.sql`select name, slug, llm_provider, is_active from bots where name = 'alpha'`;
    expect(bot).toEqual({ name: "alpha", slug: "alpha", llm_provider: "openai", is_active: true });
  });
});

describe("applying a changed config.csv", () => {
  type Row = { config_key: string; config_value: string; updated_at: Date };
  const KEY = (bot: string) => `${bot}.gbot/config.csv`;
  const rows = async (bot: string) =>
    Object.fromEntries(
      (
        await stack.db.sql<Row[]>`
          select c.config_key, c.config_value, c.updated_at from bot_configuration c join bots b on b.id = c.bot_id where b.name = ${bot}`
      ).map((r) => [r.config_key, r]),
    );

  /** A bot of its own whose config.csv wrote three keys, and one key an admin set by other means. */
  async function botWithConfig(bot: string): Promise<Record<string, Row>> {
    await stack.createBucket(`${bot}.gbai`);
    await stack.put(`${bot}.gbai`, KEY(bot), "keep,1\nchange,old\ndrop,x\n");
    await stack.settle();
    const [row] = await stack.db.sql<{ id: string }[]>`select id from bots where name = ${bot}`;
    await stack.db.sql`insert into bot_configuration (bot_id, config_key, config_value) values (${row!.id}, 'set-by-admin', 'yes')`;
    return rows(bot);
  }

  it("updates changed keys only, deletes removed keys, keeps keys set by other means", async () => {
    const first = await botWithConfig("beta-update");
    await stack.put("beta-update.gbai", KEY("beta-update"), "keep,1\nchange,new\nadded,2\n");
    await stack.settle();
    const second = await rows("beta-update");
    expect(Object.fromEntries(Object.entries(second).map(([k, r]) => [k, r.config_value]))).toEqual({
      keep: "1",
      change: "new",
      added: "2",
      "set-by-admin": "yes",
    });
    expect(second.keep!.updated_at).toEqual(first.keep!.updated_at);
    expect(second["set-by-admin"]!.updated_at).toEqual(first["set-by-admin"]!.updated_at);
    expect(second.change!.updated_at.getTime()).toBeGreaterThan(first.change!.updated_at.getTime());

    const [bot] = await stack.db.sql<{ id: string }[]>`select id from bots where name = 'beta-update'`;
    const [sync] = await stack.db.sql`
      select config_file_path, file_hash, sync_count from gbot_config_sync where bot_id = ${bot!.id}`;
    const [file] = await stack.db.sql`select processed_etag from drive_files where bot_id = ${bot!.id}`;
    expect(sync).toEqual({ config_file_path: `beta-update.gbai/${KEY("beta-update")}`, file_hash: file!.processed_etag, sync_count: 2 });
  });

  it("deleting config.csv deletes the keys it wrote and nothing else", async () => {
    await botWithConfig("beta-delete");
    await stack.remove("beta-delete.gbai", KEY("beta-delete"));
    await stack.settle();
    expect(Object.keys(await rows("beta-delete"))).toEqual(["set-by-admin"]);
    const sync = await stack.db.sql`select 1 from gbot_config_sync s join bots b on b.id = s.bot_id where b.name = 'beta-delete'`;
    expect(sync).toHaveLength(0);
  });

  it("keeps the diagnostics of a file with skipped lines and shows them in the API", async () => {
    await botWithConfig("beta-lines");
    await stack.put("beta-lines.gbai", KEY("beta-lines"), "name,value\ngood,1\nno comma here\n,empty key\ngood,2\n");
    await stack.settle();
    expect(Object.fromEntries(Object.entries(await rows("beta-lines")).map(([k, r]) => [k, r.config_value]))).toEqual({ good: "2", "set-by-admin": "yes" });
    const detail = await (await stack.api("/api/bots/beta-lines")).json<any>();
    const object = detail.objects.find((o: { key: string }) => o.key === KEY("beta-lines"));
    expect(object.status).toBe("synced");
    expect(object.diagnostics.map((d: { line: number; code: string }) => [d.line, d.code])).toEqual([
      [3, "missing-comma"],
      [4, "empty-key"],
      [5, "duplicate-key"],
    ]);
    expect(detail.configSync.diagnostics).toHaveLength(3);
  });
});

describe("a config.csv that cannot be applied fails whole, says why, and changes nothing", () => {
  /** a bot of its own with `a,1` applied */
  async function botWithA(bot: string): Promise<{ bucket: string; key: string }> {
    const target = { bucket: `${bot}.gbai`, key: `${bot}.gbot/config.csv` };
    await stack.createBucket(target.bucket);
    await stack.put(target.bucket, target.key, "a,1\n");
    await stack.settle();
    return target;
  }

  it("invalid UTF-8: failed until the file changes, then a fresh try", async () => {
    const { bucket, key } = await botWithA("gamma-utf8");
    await stack.put(bucket, key, new Uint8Array([0x61, 0x2c, 0x32, 0x0a, 0x62, 0x2c, 0xff, 0x0a]));
    await stack.settle();
    expect(await configOf("gamma-utf8")).toEqual({ a: { value: "1", type: "number" } });
    const detail = await (await stack.api("/api/bots/gamma-utf8")).json<any>();
    const object = detail.objects.find((o: { key: string }) => o.key === key);
    expect(object.status).toBe("failed");
    expect(object.lastError).toMatch(/CONFIG_INVALID_UTF8: .*line 2/);
    expect(object.nextAttemptAt).toBeNull();

    // A reconcile does not retry it (same ETag) ...
    await stack.service.tick();
    const [still] = await stack.db.sql`select sync_status, attempts from drive_files where file_path = ${`${bucket}/${key}`}`;
    expect(still).toEqual({ sync_status: "failed", attempts: 1 });

    // ... a fixed upload does.
    await stack.put(bucket, key, "a,3\n");
    await stack.settle();
    expect(await configOf("gamma-utf8")).toEqual({ a: { value: "3", type: "number" } });
    const [fixed] = await stack.db.sql`select sync_status, attempts, last_error from drive_files where file_path = ${`${bucket}/${key}`}`;
    expect(fixed).toEqual({ sync_status: "synced", attempts: 0, last_error: null });
  });

  it("an oversized file fails with OBJECT_TOO_LARGE without being applied", async () => {
    const { bucket, key } = await botWithA("gamma-large");
    const big = "k,v\n" + `pad,${"x".repeat(1024 * 1024)}\n`;
    await stack.put(bucket, key, big);
    await stack.settle();
    const [row] = await stack.db.sql`select sync_status, last_error from drive_files where file_path = ${`${bucket}/${key}`}`;
    expect(row!.sync_status).toBe("failed");
    expect(row!.last_error).toMatch(/^OBJECT_TOO_LARGE: .* is \d+ bytes; the limit for this kind of object is 1048576$/);
    expect(await configOf("gamma-large")).toEqual({ a: { value: "1", type: "number" } });
  });
});
