/**
 * Migration 005 on a database that version 004 left behind (real PostgreSQL): chunks indexed before it get
 * their bot's kb-language — `english` when unset, `simple` when the server lacks the name — and a stemmed
 * tsvector, so an upgraded database searches by word forms without re-embedding anything. The 004 `tsv`
 * column is left as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/adapters/db/migrate.js";
import { migrations } from "../../src/adapters/db/migrations/index.js";
import { PgChunkIndex } from "../../src/adapters/vectors/pg-chunk-index.js";
import { createTestDatabase, type TestDatabase } from "../harness/test-database.js";

let db: TestDatabase;
const BOTS = { pt: "00000000-0000-4000-8000-0000000000a1", unset: "00000000-0000-4000-8000-0000000000a2", unknown: "00000000-0000-4000-8000-0000000000a3" };

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
  // The state an earlier botsync left: migrations up to 004 recorded, chunks in them.
  const upTo004 = migrations.slice(0, migrations.findIndex((m) => m.id === "004-kb-tables") + 1);
  await db.sql`create table botsync_migrations (id text primary key, applied_at timestamptz not null default now())`;
  for (const m of upTo004) {
    await db.sql.unsafe(m.sql);
    await db.sql`insert into botsync_migrations (id) values (${m.id})`;
  }
  await db.sql`
    insert into bot_configuration (bot_id, config_key, config_value)
    values (${BOTS.pt}, 'kb-language', ' Portuguese '), (${BOTS.unknown}, 'kb-language', 'klingon'), (${BOTS.unset}, 'llm-model', 'x')`;
  const chunk = (botId: string, path: string, content: string) => db.sql`
    insert into botsync_kb_chunks (bot_id, kb, document_path, chunk_index, content, start_char, end_char)
    values (${botId}, 'docs', ${path}, 0, ${content}, 0, ${content.length})`;
  await chunk(BOTS.pt, "pt.gbai/pt.gbkb/docs/a.txt", "Os reembolsos são processados em cinco dias.");
  await chunk(BOTS.unset, "en.gbai/en.gbkb/docs/a.txt", "Refunds are processed within five days.");
  await chunk(BOTS.unknown, "xx.gbai/xx.gbkb/docs/a.txt", "Refunds are processed within five days.");
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

describe("migration 005 on an existing database", () => {
  it("gives existing chunks their bot's language and a stemmed tsvector, leaving the old column alone", async () => {
    expect(await migrate(db.sql)).toEqual(migrations.slice(4).map((m) => m.id));
    const rows = await db.sql<{ bot_id: string; language: string; simple_tsv: string }[]>`
      select bot_id, language::text as language, tsv::text as simple_tsv from botsync_kb_chunks order by bot_id`;
    expect(rows.map((r) => [r.bot_id, r.language])).toEqual([
      [BOTS.pt, "portuguese"],
      [BOTS.unset, "english"],
      [BOTS.unknown, "simple"],
    ]);
    expect(rows[1]!.simple_tsv).toContain("'refunds'");

    const index = new PgChunkIndex(db.sql);
    const find = (botId: string, language: string, text: string) =>
      index.search({ botId, bot: "b", text, language, vector: null, space: null, limit: 10 }).then((hits) => hits.map((h) => h.documentPath));
    expect(await find(BOTS.pt, "portuguese", "reembolso")).toEqual(["pt.gbai/pt.gbkb/docs/a.txt"]);
    expect(await find(BOTS.unset, "english", "refund")).toEqual(["en.gbai/en.gbkb/docs/a.txt"]);
    // `simple` keeps words as written: the exact form still matches, another form does not.
    expect(await find(BOTS.unknown, "klingon", "refunds")).toEqual(["xx.gbai/xx.gbkb/docs/a.txt"]);
    expect(await find(BOTS.unknown, "klingon", "refund")).toEqual([]);
  });
});
