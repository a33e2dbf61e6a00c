import type postgres from "postgres";
import type { BotRef } from "../../core/ports/ingest-store.js";
import type { BucketChanges, ReconcileStore, ReconcileStoreSession, StoredObjectRow } from "../../core/ports/reconcile-store.js";
import { findOrCreateBotOnSession, selectBots } from "./bots.js";
import { db, type Sql } from "./connect.js";

// One reconcile at a time across every botsync process sharing the database.
const RECONCILE_LOCK = 0x62737963_02;

/**
 * The reconcile lock is a session advisory lock on one reserved connection, and the whole tick runs on that
 * connection: an unchanged tick then writes nothing (a lease row would be a write every 10 s), and a crashed
 * process releases the lock with its connection. With the embedded PGlite the pool has one connection, so
 * the tick's queries must not go through the pool while it is reserved — they don't.
 */
export class PgReconcileStore implements ReconcileStore {
  constructor(private readonly sql: Sql) {}

  withReconcileLock<T>(fn: (session: ReconcileStoreSession) => Promise<T>): Promise<T | null> {
    return db(async () => {
      const reserved = await this.sql.reserve();
      try {
        const [lock] = await reserved<{ got: boolean }[]>`select pg_try_advisory_lock(${RECONCILE_LOCK}) as got`;
        if (!lock?.got) return null;
        try {
          return await fn(new PgReconcileSession(reserved));
        } finally {
          await reserved`select pg_advisory_unlock(${RECONCILE_LOCK})`;
        }
      } finally {
        reserved.release();
      }
    });
  }
}

class PgReconcileSession implements ReconcileStoreSession {
  constructor(private readonly sql: postgres.ReservedSql) {}

  ensureBots(names: string[]): Promise<Map<string, BotRef>> {
    return db(async () => {
      if (names.length === 0) return new Map();
      const bots = await selectBots(this.sql, names);
      for (const name of names) {
        if (!bots.has(name)) bots.set(name, await findOrCreateBotOnSession(this.sql, name));
      }
      return bots;
    });
  }

  loadObjects(botId: string): Promise<StoredObjectRow[]> {
    return db(async () => {
      const rows = await this.sql<{ id: string; file_path: string; etag: string | null; present: boolean; revision: string }[]>`
        select id, file_path, etag, present, revision::text as revision from drive_files where bot_id = ${botId}`;
      return rows.map((r) => ({ id: r.id, filePath: r.file_path, etag: r.etag, present: r.present, revision: r.revision }));
    });
  }

  applyChanges(botId: string, changes: BucketChanges): Promise<void> {
    return db(async () => {
      const { inserts, updates } = changes;
      if (inserts.length > 0) {
        await this.sql`
          insert into drive_files (bot_id, file_path, file_type, lane, etag, file_size, last_modified, present, sync_status, next_attempt_at, queued_at)
          select ${botId}, p, t, l, e, s, m, true, 'pending', now(), now()
          from unnest(${inserts.map((i) => i.filePath)}::text[], ${inserts.map((i) => i.kind.fileType)}::text[],
                      ${inserts.map((i) => i.kind.lane)}::text[], ${inserts.map((i) => i.etag)}::text[],
                      ${inserts.map((i) => String(i.size))}::bigint[],
                      ${inserts.map((i) => i.lastModified?.toISOString() ?? null)}::timestamptz[]) as c(p, t, l, e, s, m)
          on conflict (bot_id, file_path) do nothing`;
      }
      if (updates.length > 0) {
        // Booleans travel as text: postgres.js serialises a JS boolean array in a way `::bool[]` rejects.
        // Only rows still at the revision we read: an event that landed during the listing wins.
        await this.sql`
          update drive_files f set present = c.present_text::bool, etag = c.etag, file_size = coalesce(c.size, f.file_size),
            last_modified = coalesce(c.modified, f.last_modified), sync_status = 'pending', next_attempt_at = now(),
            queued_at = now(), attempts = 0, revision = f.revision + 1, updated_at = now()
          from unnest(${updates.map((u) => u.id)}::uuid[], ${updates.map((u) => u.revision)}::bigint[],
                      ${updates.map((u) => String(u.present))}::text[], ${updates.map((u) => u.etag)}::text[],
                      ${updates.map((u) => (u.size === undefined ? null : String(u.size)))}::bigint[],
                      ${updates.map((u) => u.lastModified?.toISOString() ?? null)}::timestamptz[]) as c(id, rev, present_text, etag, size, modified)
          where f.id = c.id and f.revision = c.rev`;
      }
    });
  }
}
