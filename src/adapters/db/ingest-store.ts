import type postgres from "postgres";
import { DUPLICATE_REASONS, planIngest, staleReason, type StoredObjectState } from "../../core/ingest/plan-ingest.js";
import type { SyncStatus } from "../../core/jobs/job-types.js";
import type { BotRef, EventMeta, IngestStore, LeaseRequest, ObjectSighting, RecordedOutcome } from "../../core/ports/ingest-store.js";
import { claimedJob, type ClaimRow } from "./job-store.js";
import { findOrCreateBot, selectBot } from "./bots.js";
import { systemClock, type Clock } from "../../core/time/clock.js";
import { db, transaction, type Sql, type Tx } from "./connect.js";

/** How long a bot's id is reused without asking the database: a deactivated or deleted bot is noticed then. */
const BOT_CACHE_MS = 60_000;

export class PgIngestStore implements IngestStore {
  // Caching bot ids keeps the webhook's hot path at one statement per event.
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
   * One round trip and no explicit transaction, because this is the webhook's hot path: one statement reads
   * the row, decides what the event means (planIngest's rules, in SQL: see recordInOneStatement), logs the
   * event and, when the object is to be queued, writes the row — only if it is still at the revision read
   * (or still absent) — and takes the lease when asked to and nobody holds one. A concurrent change makes
   * that statement write and log nothing, and it is sent again on the new state; after a few such tries the
   * row lock is taken and planIngest decides.
   */
  recordObjectEvent(sighting: ObjectSighting, meta: EventMeta, lease?: LeaseRequest): Promise<RecordedOutcome> {
    return db(async () => {
      for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
        const recorded = await recordInOneStatement(this.sql, sighting, meta, lease);
        if (recorded) return recorded;
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
        const [written] = await tx<WrittenRow[]>`
          with up as (${queuedUpsert(tx, sighting, lease, { freshTry: tx`${decision.freshTry}::boolean`, guard: tx`true` })}),
          ev as (${queuedEvent(tx, sighting, meta)})
          select * from up`;
        return withJob(decision, written!, sighting);
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
type Fragment = ReturnType<Query>;

/**
 * The whole record in one statement: `prev` reads the row, `decision` applies planIngest's rules to it (kept
 * in step with plan-ingest.ts; test/integration/ingest-one-statement.test.ts compares the two), `up` writes
 * the queued row only if it is still at the revision `prev` read, `ev` logs the event unless a concurrent
 * change got there first. Returns null in that case: nothing was written, the caller tries again.
 * Sequencers compare byte-wise (`collate "C"`), as planIngest's `<` does on their ASCII digits.
 */
async function recordInOneStatement(
  sql: Sql,
  sighting: ObjectSighting,
  meta: EventMeta,
  lease: LeaseRequest | undefined,
): Promise<RecordedOutcome | null> {
  const etag = sighting.etag ?? null;
  const sequencer = sighting.sequencer ?? null;
  const source = sighting.sequencerSource ?? null;
  const remove = sighting.action === "remove";
  // The stored sequencer is only known inside the statement: the reason's text is cut where it goes.
  const [staleBefore, staleAfter] = staleReason(source ?? "", "\u0000").split("\u0000");
  const [row] = await sql<(Partial<WrittenRow> & { outcome: "queued" | "duplicate" | "stale"; reason: string | null; fresh_try: boolean; written: boolean })[]>`
    with prev as (
      select present, etag, processed_etag, sync_status, sequencer, sequencer_source, revision from drive_files
      where bot_id = ${sighting.botId} and file_path = ${sighting.filePath}
    ), decision as (
      select
        case
          when stale then 'stale'
          when ${remove} then case when p.revision is null or not p.present then 'duplicate' else 'queued' end
          when p.present and p.etag = ${etag}::text then 'duplicate'
          else 'queued'
        end as outcome,
        case
          when stale then ${staleBefore!}::text || p.sequencer || ${staleAfter!}::text
          when ${remove} and p.revision is null then ${DUPLICATE_REASONS.untrackedRemoval}::text
          when ${remove} and not p.present then ${DUPLICATE_REASONS.removalRecorded}::text
          when not ${remove} and p.present and p.etag = ${etag}::text then
            case p.sync_status when 'pending' then ${DUPLICATE_REASONS.pending}::text when 'synced' then ${DUPLICATE_REASONS.synced}::text
              when 'retry' then ${DUPLICATE_REASONS.retry}::text else ${DUPLICATE_REASONS.failed}::text end
        end as reason,
        ${remove} or p.revision is null or not p.present or (${etag}::text is not null and p.etag is distinct from ${etag}::text) as fresh_try,
        p.revision
      from (select 1) as one
      left join prev as p on true
      cross join lateral (select coalesce(
        p.revision is not null and ${sequencer}::text is not null and p.sequencer is not null and ${source}::text is not null
        and ${source}::text = p.sequencer_source
        and (${etag}::text is null or ${etag}::text = p.processed_etag)
        and ${sequencer}::text collate "C" < p.sequencer collate "C", false) as stale) as s
    ), up as (${queuedUpsert(sql, sighting, lease, {
      freshTry: sql`(select fresh_try from decision)`,
      // the revision read, or still absent (the insert itself): a concurrent change makes this write nothing
      guard: sql`drive_files.revision = (select revision from decision)`,
      when: sql`(select outcome from decision) = 'queued'`,
    })}), ev as (
      insert into botsync_events (source, event_name, bucket, object_key, etag, sequencer, outcome, reason, bot_id, file_path)
      select ${meta.source}, ${meta.eventName}, ${meta.bucket}, ${meta.key}, ${meta.etag ?? null}, ${meta.sequencer ?? null},
             d.outcome, d.reason, ${sighting.botId}, ${sighting.filePath}
      from decision as d where d.outcome <> 'queued' or exists (select 1 from up)
    )
    select d.outcome, d.reason, d.fresh_try, up.id is not null as written, up.*
    from decision as d left join up on true`;
  if (!row) throw new Error("recording an event returned no row");
  if (row.outcome !== "queued") return { outcome: row.outcome, reason: row.reason ?? "" };
  if (!row.written) return null;
  return withJob({ outcome: "queued", freshTry: row.fresh_try }, row as WrittenRow, sighting);
}

/**
 * The upsert of a queued row, as a CTE body. `guard` decides whether an existing row is overwritten (its
 * revision unchanged, or the caller holds its lock); `when` whether anything is written at all. With `lease`,
 * the row is leased to its owner when nobody holds a lease on it (`leased`): a running job keeps its lease
 * and, seeing the new revision when it completes, leaves the row pending for the next run.
 */
function queuedUpsert(
  sql: Query,
  sighting: ObjectSighting,
  lease: LeaseRequest | undefined,
  opts: { freshTry: Fragment; guard: Fragment; when?: Fragment },
): Fragment {
  const present = sighting.action === "upsert";
  const owner = lease?.owner ?? null;
  const leaseMs = lease?.leaseMs ?? 0;
  return sql`
      insert into drive_files (bot_id, file_path, file_type, lane, etag, file_size, present, sync_status, next_attempt_at, queued_at, sequencer, sequencer_source,
                               lease_owner, lease_until)
      select ${sighting.botId}::uuid, ${sighting.filePath}::text, ${sighting.kind.fileType}::text, ${sighting.kind.lane}::text,
              ${sighting.etag ?? null}::text, ${sighting.size ?? null}::bigint, ${present}::boolean, 'pending', now(), now(), ${sighting.sequencer ?? null}::text,
              ${sighting.sequencer ? (sighting.sequencerSource ?? null) : null}::text,
              ${owner}::text, case when ${owner}::text is null then null else now() + ${leaseMs} * interval '1 millisecond' end
      where ${opts.when ?? sql`true`}
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
        attempts = case when ${opts.freshTry} then 0 else drive_files.attempts end,
        -- Only a lease nobody holds is taken: not even an expired one of this process, whose job may still run.
        lease_owner = case when drive_files.lease_owner is null then excluded.lease_owner else drive_files.lease_owner end,
        lease_until = case when drive_files.lease_owner is null then excluded.lease_until else drive_files.lease_until end,
        updated_at = now()
      where ${opts.guard}
      returning id, bot_id, file_path, file_type, etag, present, processed_etag, reprocess, queued_at, attempts, revision::text as revision,
        -- now() is the statement's transaction time: equal only for the lease this statement took
        coalesce(lease_owner = ${owner}::text and lease_until = now() + ${leaseMs} * interval '1 millisecond', false) as leased`;
}

/** The event of a queued row, logged only when the row was written (a CTE body next to `up`). */
function queuedEvent(sql: Query, sighting: ObjectSighting, meta: EventMeta): Fragment {
  return sql`
      insert into botsync_events (source, event_name, bucket, object_key, etag, sequencer, outcome, reason, bot_id, file_path)
      select ${meta.source}, ${meta.eventName}, ${meta.bucket}, ${meta.key}, ${meta.etag ?? null}, ${meta.sequencer ?? null},
             'queued', null, ${sighting.botId}, ${sighting.filePath}
      where exists (select 1 from up)`;
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
