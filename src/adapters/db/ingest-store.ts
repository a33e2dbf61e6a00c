import { planIngest, type IngestOutcome, type StoredObjectState } from "../../core/ingest/plan-ingest.js";
import { FILE_TYPE, laneOf, type SyncStatus } from "../../core/jobs/job-types.js";
import type { BotRef, EventMeta, IngestStore, ObjectSighting } from "../../core/ports/state-store.js";
import { findOrCreateBot } from "./bots.js";
import { db, type Sql } from "./connect.js";

export class PgIngestStore implements IngestStore {
  // Bot ids never change once created; caching them keeps the webhook at one transaction per event.
  private readonly bots = new Map<string, BotRef>();

  constructor(private readonly sql: Sql) {}

  async ensureBot(name: string): Promise<BotRef> {
    const cached = this.bots.get(name);
    if (cached) return cached;
    const ref = await db(() => findOrCreateBot(this.sql, name));
    // Inactive bots are looked up again next time, so re-activating one needs no restart.
    if (ref.active) this.bots.set(name, ref);
    return ref;
  }

  /**
   * Two round trips and no explicit transaction, because this is the webhook's hot path: read the row,
   * decide (planIngest), then one statement that writes the row — only if it is still at the revision read
   * (or still absent) — together with its event. A concurrent change makes that statement write nothing,
   * and the decision is taken again on the new state.
   */
  recordObjectEvent(sighting: ObjectSighting, meta: EventMeta): Promise<IngestOutcome> {
    return db(async () => {
      for (let attempt = 0; ; attempt++) {
        const [row] = await this.sql<
          { present: boolean; etag: string | null; processed_etag: string | null; sync_status: SyncStatus; sequencer: string | null; revision: string }[]
        >`select present, etag, processed_etag, sync_status, sequencer, revision::text as revision from drive_files
          where bot_id = ${sighting.botId} and file_path = ${sighting.filePath}`;
        const prev: StoredObjectState | null = row
          ? { present: row.present, etag: row.etag, processedEtag: row.processed_etag, status: row.sync_status, sequencer: row.sequencer }
          : null;
        const decision = planIngest(prev, sighting);
        if (decision.outcome !== "queued") {
          await insertEvent(this.sql, meta, decision.outcome, decision.reason, sighting.botId, sighting.filePath);
          return decision;
        }
        const present = sighting.action === "upsert";
        const [written] = await this.sql<{ n: number }[]>`
          with up as (
            insert into drive_files (bot_id, file_path, file_type, lane, etag, file_size, present, sync_status, next_attempt_at, sequencer)
            values (${sighting.botId}, ${sighting.filePath}, ${FILE_TYPE[sighting.kind]}, ${laneOf(sighting.kind)},
                    ${sighting.etag ?? null}, ${sighting.size ?? null}, ${present}, 'pending', now(), ${sighting.sequencer ?? null})
            on conflict (bot_id, file_path) do update set
              etag = case when excluded.present then excluded.etag else drive_files.etag end,
              file_size = coalesce(excluded.file_size, drive_files.file_size),
              file_type = excluded.file_type,
              lane = excluded.lane,
              present = excluded.present,
              sync_status = 'pending',
              next_attempt_at = now(),
              sequencer = coalesce(excluded.sequencer, drive_files.sequencer),
              revision = drive_files.revision + 1,
              attempts = case when ${decision.freshTry} then 0 else drive_files.attempts end,
              updated_at = now()
            where drive_files.revision = ${row?.revision ?? null}::bigint
            returning 1
          ), ev as (
            insert into botsync_events (source, event_name, bucket, object_key, etag, sequencer, outcome, reason, bot_id, file_path)
            select ${meta.source}, ${meta.eventName}, ${meta.bucket}, ${meta.key}, ${meta.etag ?? null}, ${meta.sequencer ?? null},
                   'queued', null, ${sighting.botId}, ${sighting.filePath}
            where exists (select 1 from up)
          )
          select count(*)::int as n from up`;
        if (written!.n === 1) return decision;
        if (attempt >= 10) throw new Error(`${sighting.filePath} kept changing while its event was recorded`);
      }
    });
  }

  recordIgnoredEvent(meta: EventMeta, reason: string, botId?: string): Promise<void> {
    return db(() => insertEvent(this.sql, meta, "ignored", reason, botId ?? null, null));
  }
}

async function insertEvent(
  sql: Sql,
  meta: EventMeta,
  outcome: string,
  reason: string | null,
  botId: string | null,
  filePath: string | null,
): Promise<void> {
  await sql`
    insert into botsync_events (source, event_name, bucket, object_key, etag, sequencer, outcome, reason, bot_id, file_path)
    values (${meta.source}, ${meta.eventName}, ${meta.bucket}, ${meta.key}, ${meta.etag ?? null}, ${meta.sequencer ?? null},
            ${outcome}, ${reason}, ${botId}, ${filePath})`;
}
