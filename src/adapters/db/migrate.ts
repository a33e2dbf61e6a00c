import type { Sql } from "./connect.js";
import { db, transaction } from "./connect.js";
import { migrations } from "./migrations/index.js";

// Any constant works; it only has to be the same for every botsync process.
const MIGRATION_LOCK = 0x62737963_01;

/** Applies pending migrations once, even when several processes start together. */
export async function migrate(sql: Sql): Promise<string[]> {
  return db(() =>
    transaction(sql, async (tx) => {
      await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
      await tx`create table if not exists botsync_migrations (id text primary key, applied_at timestamptz not null default now())`;
      const done = new Set((await tx<{ id: string }[]>`select id from botsync_migrations`).map((r) => r.id));
      const applied: string[] = [];
      for (const migration of migrations) {
        if (done.has(migration.id)) continue;
        await tx.unsafe(migration.sql);
        await tx`insert into botsync_migrations (id) values (${migration.id})`;
        applied.push(migration.id);
      }
      return applied;
    }),
  );
}
