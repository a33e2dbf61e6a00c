import type postgres from "postgres";
import { planIngest, type StoredObjectState } from "../../core/ingest/plan-ingest.js";
import type { SyncStatus } from "../../core/jobs/job-types.js";
import type { BotRef, EventMeta, IngestStore, LeaseRequest, ObjectSighting, RecordedOutcome } from "../../core/ports/ingest-store.js";
import { claimedJob, type ClaimRow } from "./job-store.js";
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
   * (or still absent) — together with its event, and takes the lease when asked to and nobody holds one. A
   * concurrent change makes that statement write nothing, and the decision is taken again on the new state;
   * after a few such tries the row lock is taken.
   */
  recordObjectEvent(sighting: ObjectSighting, meta: EventMeta, lease?: LeaseRequest): Promise<RecordedOutcome> {
    return db(async () => {
      for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
        const row = await selectState(this.sql, sighting, false);
        const decision = planIngest(row?.state ?? null, sighting);
        if (decision.outcome !== "queued") {
          await insertEvent(this.sql, meta, decision.outcome, decision.reason, sighting.botId, sighting.filePath);
          return decision;
        }
        const written = await writeQueued(this.sql, sighting, meta, decision.freshTry, { revision: row?.revision ?? null }, lease);
        if (written) return withJob(decision, written, sighting);
      }
      // Many events for one object at once: stop guessing and take the row lock, so every one of them
      // gets through in turn.
      return transaction(this.sql, async (tx) => {
        const row = await selectState(tx, sighting, true);
        const decision = planIngest(row?.state ?? null, sighting);
        if (decision.outcome !== "queued") {
          await insertEvent(tx, meta, decision.outcome, decision.reason, sighting.botId, sighting.filePath);
          return decision;
        }
        return withJob(decision, (await writeQueued(tx, sighting, meta, decision.freshTry, "locked", lease))!, sighting);
      });
    });
  }

  recordIgnoredEvent(meta: EventMeta, reason: string, botId?: string): Promise<void> {
    return db(() => insertEvent(this.sql, meta, "ignored", reason, botId ?? null, null));
  }
}

/** The queued outcome, with the job when the write leased the object to us. */
function withJob(decision: { outcome: "queued"; freshTry: boolean }, written: WrittenRow, sighting: ObjectSighting): RecordedOutcome {
  return written.leased ? { ...decision, job: claimedJob(written, sighting.kind.name) } : decision;
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

type WrittenRow = ClaimRow & { leased: boolean };

/**
 * Writes the queued row and its event in one statement. With `{ revision }` the row is only written if it
 * is still at that revision (or still absent; revision null): null means another event got there first.
 * With "locked" the caller holds the row lock and the write always happens. With `lease`, the row is leased
 * to its owner when nobody holds a lease on it (`leased`): a running job keeps its lease and, seeing the new
 * revision when it completes, leaves the row pending for the next run.
 */
async function writeQueued(
  sql: Query,
  sighting: ObjectSighting,
  meta: EventMeta,
  freshTry: boolean,
  guard: { revision: string | null } | "locked",
  lease: LeaseRequest | undefined,
): Promise<WrittenRow | null> {
  const present = sighting.action === "upsert";
  const locked = guard === "locked";
  const expectedRevision = guard === "locked" ? null : guard.revision;
  const owner = lease?.owner ?? null;
  const leaseMs = lease?.leaseMs ?? 0;
  const [written] = await sql<WrittenRow[]>`
    with up as (
      insert into drive_files (bot_id, file_path, file_type, lane, etag, file_size, present, sync_status, next_attempt_at, queued_at, sequencer, sequencer_source,
                               lease_owner, lease_until)
      values (${sighting.botId}, ${sighting.filePath}, ${sighting.kind.fileType}, ${sighting.kind.lane},
              ${sighting.etag ?? null}, ${sighting.size ?? null}, ${present}, 'pending', now(), now(), ${sighting.sequencer ?? null},
              ${sighting.sequencer ? (sighting.sequencerSource ?? null) : null},
              ${owner}::text, case when ${owner}::text is null then null else now() + ${leaseMs} * interval '1 millisecond' end)
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
        -- Only a lease nobody holds is taken: not even an expired one of this process, whose job may still run.
        lease_owner = case when drive_files.lease_owner is null then excluded.lease_owner else drive_files.lease_owner end,
        lease_until = case when drive_files.lease_owner is null then excluded.lease_until else drive_files.lease_until end,
        updated_at = now()
      where ${locked} or drive_files.revision = ${expectedRevision}::bigint
      returning id, bot_id, file_path, file_type, etag, present, processed_etag, reprocess, queued_at, attempts, revision::text as revision,
        -- now() is the statement's transaction time: equal only for the lease this statement took
        coalesce(lease_owner = ${owner}::text and lease_until = now() + ${leaseMs} * interval '1 millisecond', false) as leased
    ), ev as (
      insert into botsync_events (source, event_name, bucket, object_key, etag, sequencer, outcome, reason, bot_id, file_path)
      select ${meta.source}, ${meta.eventName}, ${meta.bucket}, ${meta.key}, ${meta.etag ?? null}, ${meta.sequencer ?? null},
             'queued', null, ${sighting.botId}, ${sighting.filePath}
      where exists (select 1 from up)
    )
    select * from up`;
  return written ?? null;
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
