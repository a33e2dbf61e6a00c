import type postgres from "postgres";
import type { BotRef } from "../../core/ports/ingest-store.js";
import { transaction, type Sql } from "./connect.js";

type Query = Sql | postgres.ReservedSql;

/**
 * Finds the `bots` row for a bucket, creating it the first time (parameterised; the botserver formats this
 * SQL with string interpolation). `bots.name` has no unique constraint, so creation holds an advisory lock on
 * the name: two processes seeing a new bucket at once still create one row. The webhook path takes it
 * transaction-scoped; reconcile, which runs on one reserved connection, takes the session form of the same
 * lock, and the two exclude each other.
 */
export async function findOrCreateBot(sql: Sql, name: string): Promise<BotRef> {
  const found = await selectBot(sql, name);
  if (found) return found;
  return transaction(sql, async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${lockName(name)}))`;
    return (await selectBot(tx, name)) ?? (await insertBot(tx, name));
  });
}

export async function findOrCreateBotOnSession(session: postgres.ReservedSql, name: string): Promise<BotRef> {
  await session`select pg_advisory_lock(hashtext(${lockName(name)}))`;
  try {
    return (await selectBot(session, name)) ?? (await insertBot(session, name));
  } finally {
    await session`select pg_advisory_unlock(hashtext(${lockName(name)}))`;
  }
}

function lockName(name: string): string {
  return `botsync:bot:${name}`;
}

async function insertBot(sql: Query, name: string): Promise<BotRef> {
  // The defaults the botserver writes for a bot found in the drive (docs/botserver-compatibility.md, "Buckets
  // and bot names"). The slug is only set when free: `bots_slug_key` is unique and may already belong to
  // another bot.
  const [row] = await sql<{ id: string; is_active: boolean | null }[]>`
    insert into bots (name, slug, llm_provider, llm_config, context_provider, context_config, is_active)
    values (${name}, case when exists (select 1 from bots where slug = ${name}) then null else ${name} end,
            'openai', '{}', 'openai', '{}', true)
    returning id, is_active`;
  return { id: row!.id, active: row!.is_active !== false };
}

export async function selectBot(sql: Query, name: string): Promise<BotRef | null> {
  const [row] = await sql<{ id: string; is_active: boolean | null }[]>`
    select id, is_active from bots where name = ${name} order by created_at, id limit 1`;
  return row ? { id: row.id, active: row.is_active !== false } : null;
}

/** All bots of the given names in one query (the oldest row wins when a name is duplicated). */
export async function selectBots(sql: Query, names: string[]): Promise<Map<string, BotRef>> {
  const rows = await sql<{ id: string; name: string; is_active: boolean | null }[]>`
    select distinct on (name) id, name, is_active from bots where name = any(${names}::text[]) order by name, created_at, id`;
  return new Map(rows.map((r) => [r.name, { id: r.id, active: r.is_active !== false }]));
}
