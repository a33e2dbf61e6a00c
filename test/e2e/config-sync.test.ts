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
