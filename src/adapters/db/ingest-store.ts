import type postgres from "postgres";
import { planIngest, type StoredObjectState } from "../../core/ingest/plan-ingest.js";
import type { SyncStatus } from "../../core/jobs/job-types.js";
import type { BotRef, EventMeta, IngestOutcome, IngestStore, ObjectSighting } from "../../core/ports/ingest-store.js";
import { findOrCreateBot, selectBot } from "./bots.js";
import { systemClock, type Clock } from "../../core/time/clock.js";
import { db, transaction, type Sql, type Tx } from "./connect.js";

/** How long a bot's id is reused without asking the database: a deactivated or deleted bot is noticed then. */
const BOT_CACHE_MS = 60_000;

export class PgIngestStore implements IngestStore {
  // Caching bot ids keeps the webhook's hot path at two statements per event.
  private readonly bots = new Map<string, { ref: BotRef; until: number }>();

  constructor(
    private readonly sql: Sql,
    private readonly options: { botCacheMs?: number; clock?: Clock } = {},
  ) {}

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  async findBot(name: string): Promise<BotRef | null> {
    const cached = this.bots.get(name);
    if (cached && cached.until > this.clock.now()) return cached.ref;
    return this.remember(name, await db(() => selectBot(this.sql, name)));
  }

  async createBot(name: string): Promise<BotRef> {
    return this.remember(name, await db(() => findOrCreateBot(this.sql, name)));
  }

  /** Only active bots are cached: an unknown or inactive one is looked up again, so no restart is needed. */
  private remember<T extends BotRef | null>(name: string, ref: T): T {
    if (ref?.active) this.bots.set(name, { ref, until: this.clock.now() + (this.options.botCacheMs ?? BOT_CACHE_MS) });
    else this.bots.delete(name);
    return ref;
  }

  /**
   * Two round trips and no explicit transaction, because this is the webhook's hot path: read the row,
   * decide (planIngest), then one statement that writes the row — only if it is still at the revision read
   * (or still absent) — together with its event. A concurrent change makes that statement write nothing,
   * and the decision is taken again on the new state; after a few such tries the row lock is taken.
   */
  recordObjectEvent(sighting: ObjectSighting, meta: EventMeta): Promise<IngestOutcome> {
    return db(async () => {
      for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
        const row = await selectState(this.sql, sighting, false);
        const decision = planIngest(row?.state ?? null, sighting);
        if (decision.outcome !== "queued") {
          await insertEvent(this.sql, meta, decision.outcome, decision.reason, sighting.botId, sighting.filePath);
          return decision;
        }
        if (await writeQueued(this.sql, sighting, meta, decision.freshTry, { revision: row?.revision ?? null })) return decision;
      }
      // Many events for one object at once: stop guessing and take the row lock, so every one of them
      // gets through in turn.
      return transaction(this.sql, async (tx) => {
        const row = await selectState(tx, sighting, true);
        const decision = planIngest(row?.state ?? null, sighting);
        if (decision.outcome !== "queued") await insertEvent(tx, meta, decision.outcome, decision.reason, sighting.botId, sighting.filePath);
        else await writeQueued(tx, sighting, meta, decision.freshTry, "locked");
        return decision;
      });
    });
  }

  recordIgnoredEvent(meta: EventMeta, reason: string, botId?: string): Promise<void> {
    return db(() => insertEvent(this.sql, meta, "ignored", reason, botId ?? null, null));
  }
}

/** Optimistic tries before an event falls back to locking the row. */
const OPTIMISTIC_ATTEMPTS = 3;

type Query = Sql | Tx;

async function selectState(
  sql: Query,
  sighting: ObjectSighting,
  lock: boolean,
): Promise<{ state: StoredObjectState; revision: string } | null> {
  const rows = await sql<
    {
      present: boolean;
      etag: string | null;
      processed_etag: string | null;
      sync_status: SyncStatus;
      sequencer: string | null;
      sequencer_source: string | null;
      revision: string;
    }[]
  >`select present, etag, processed_etag, sync_status, sequencer, sequencer_source, revision::text as revision from drive_files
    where bot_id = ${sighting.botId} and file_path = ${sighting.filePath} ${lock ? sql`for update` : sql``}`;
  const row = rows[0];
  return row
    ? {
        state: {
          present: row.present,
          etag: row.etag,
          processedEtag: row.processed_etag,
          status: row.sync_status,
          sequencer: row.sequencer,
          sequencerSource: row.sequencer_source,
        },
        revision: row.revision,
      }
    : null;
}

/**
 * Writes the queued row and its event in one statement. With `{ revision }` the row is only written if it
 * is still at that revision (or still absent; revision null): false means another event got there first.
 * With "locked" the caller holds the row lock and the write always happens.
 */
async function writeQueued(
  sql: Query,
  sighting: ObjectSighting,
  meta: EventMeta,
  freshTry: boolean,
  guard: { revision: string | null } | "locked",
): Promise<boolean> {
  const present = sighting.action === "upsert";
  const locked = guard === "locked";
  const expectedRevision = guard === "locked" ? null : guard.revision;
  const [written] = await sql<{ n: number }[]>`
    with up as (
      insert into drive_files (bot_id, file_path, file_type, lane, etag, file_size, present, sync_status, next_attempt_at, queued_at, sequencer, sequencer_source)
      values (${sighting.botId}, ${sighting.filePath}, ${sighting.kind.fileType}, ${sighting.kind.lane},
              ${sighting.etag ?? null}, ${sighting.size ?? null}, ${present}, 'pending', now(), now(), ${sighting.sequencer ?? null},
              ${sighting.sequencer ? (sighting.sequencerSource ?? null) : null})
      on conflict (bot_id, file_path) do update set
        etag = case when excluded.present then excluded.etag else drive_files.etag end,
        file_size = coalesce(excluded.file_size, drive_files.file_size),
        file_type = excluded.file_type,
        lane = excluded.lane,
        present = excluded.present,
        sync_status = 'pending',
        next_attempt_at = now(),
        queued_at = now(),
        -- The sequencer of the last queued event, with its source (not the largest ever seen: one from a
        -- clock that ran ahead must not outlive the next event that gets through).
        sequencer = coalesce(excluded.sequencer, drive_files.sequencer),
        sequencer_source = case when excluded.sequencer is null then drive_files.sequencer_source else excluded.sequencer_source end,
        revision = drive_files.revision + 1,
        attempts = case when ${freshTry} then 0 else drive_files.attempts end,
        updated_at = now()
      where ${locked} or drive_files.revision = ${expectedRevision}::bigint
      returning 1
    ), ev as (
      insert into botsync_events (source, event_name, bucket, object_key, etag, sequencer, outcome, reason, bot_id, file_path)
      select ${meta.source}, ${meta.eventName}, ${meta.bucket}, ${meta.key}, ${meta.etag ?? null}, ${meta.sequencer ?? null},
             'queued', null, ${sighting.botId}, ${sighting.filePath}
      where exists (select 1 from up)
    )
    select count(*)::int as n from up`;
  return written!.n === 1;
}

async function insertEvent(
  sql: Query,
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
