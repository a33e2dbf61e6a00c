import type postgres from "postgres";
import { DUPLICATE_REASONS, staleReason } from "../../core/ingest/plan-ingest.js";
import { GroupCommit } from "./group-commit.js";
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

  private readonly batcher: GroupCommit<RecordRequest, RecordedOutcome | null>;

  constructor(
    private readonly sql: Sql,
    private readonly options: { botCacheMs?: number; clock?: Clock; groupCommit?: { maxItems: number; maxInFlight: number; windowMs?: number } } = {},
  ) {
    this.batcher = new GroupCommit({
      write: (records) => recordBatch(this.sql, records),
      ...(options.groupCommit ?? GROUP_COMMIT),
    });
  }

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
   * One statement, shared with the records of concurrent requests (group commit, see recordBatch), and no
   * explicit transaction, because this is the webhook's hot path: the statement reads the row, decides what
   * the event means (planIngest's rules, in SQL), logs the event and, when the object is to be queued, writes
   * the row — only if it is still at the revision read (or still absent) — and takes the lease when asked to
   * and nobody holds one. A concurrent change makes that statement write and log nothing for this record,
   * and it is sent again on its own; after a few such tries the row lock is taken.
   */
  recordObjectEvent(sighting: ObjectSighting, meta: EventMeta, lease?: LeaseRequest): Promise<RecordedOutcome> {
    return db(async () => {
      const record = { sighting, meta, lease };
      const grouped = await this.batcher.submit(record);
      if (grouped) return grouped;
      for (let attempt = 1; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
        const [recorded] = await recordInOneStatement(this.sql, [record]);
        if (recorded) return recorded;
      }
      // Many events for one object at once: stop guessing and take the row lock, so every one of them gets
      // through in turn. A row that did not exist yet cannot be locked: when another event inserts it
      // meanwhile, the lock is taken again on it.
      for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
        const recorded = await transaction(this.sql, async (tx) => {
          await tx`select 1 from drive_files where bot_id = ${sighting.botId} and file_path = ${sighting.filePath} for update`;
          return (await recordInOneStatement(tx, [record]))[0];
        });
        if (recorded) return recorded;
      }
      throw new Error(`recording an event for ${sighting.filePath}: the row kept changing under its lock`);
    });
  }

  recordIgnoredEvent(meta: EventMeta, reason: string, botId?: string): Promise<void> {
    return db(() => insertEvent(this.sql, meta, "ignored", reason, botId ?? null, null));
  }
}

/**
 * Group commit of the webhook's records: up to 64 in one statement, at most 4 statements in flight (the pool
 * has 10 connections, which the jobs need too). Measured in BENCHMARKS.md ("The webhook's hot path").
 */
const GROUP_COMMIT = { maxItems: 64, maxInFlight: 4 };

/** Optimistic tries before an event falls back to locking the row. */
const OPTIMISTIC_ATTEMPTS = 3;

type Query = Sql | Tx;

interface RecordRequest {
  sighting: ObjectSighting;
  meta: EventMeta;
  lease: LeaseRequest | undefined;
}

/**
 * A batch's records, in rounds: the k-th record of an object goes in round k, so that one statement never
 * touches a row twice (PostgreSQL forbids it, and the second record must see the first one's write) and an
 * object's records are written in the order they were submitted. When a record of an object is not written
 * (a concurrent change: null), its later records in the batch are not sent either; they too come back null
 * and are sent again by their submitters, in turn.
 */
async function recordBatch(sql: Sql, records: RecordRequest[]): Promise<(RecordedOutcome | null)[]> {
  const results: (RecordedOutcome | null)[] = new Array(records.length).fill(null);
  let pending = records.map((record, index) => ({ record, index }));
  const blocked = new Set<string>();
  while (pending.length > 0) {
    const round: typeof pending = [];
    const later: typeof pending = [];
    const inRound = new Set<string>();
    for (const entry of pending) {
      const object = objectOf(entry.record);
      if (blocked.has(object)) continue;
      if (inRound.has(object)) later.push(entry);
      else {
        inRound.add(object);
        round.push(entry);
      }
    }
    if (round.length === 0) break;
    const outcomes = await recordInOneStatement(sql, round.map((entry) => entry.record));
    round.forEach((entry, i) => {
      results[entry.index] = outcomes[i]!;
      if (!outcomes[i]) blocked.add(objectOf(entry.record));
    });
    pending = later;
  }
  return results;
}

function objectOf(record: RecordRequest): string {
  return `${record.sighting.botId}\u0000${record.sighting.filePath}`;
}

type WrittenRow = ClaimRow & { leased: boolean };

/**
 * Records of distinct objects in one statement: `input` unpacks them, `decision` reads each row and applies
 * planIngest's rules to it (kept in step with plan-ingest.ts; test/integration/ingest-one-statement.test.ts
 * compares the two over every stored state and event), `up` writes the queued rows, each only if it is still
 * at the revision read (or still absent), and takes the leases asked for when nobody holds one; `ev` logs
 * each event unless a concurrent change got to its row first. Such a record comes back null: nothing was
 * written or logged for it, the caller tries again. Sequencers compare byte-wise (`collate "C"`), as
 * planIngest's `<` does on their ASCII digits.
 */
async function recordInOneStatement(sql: Query, records: RecordRequest[]): Promise<(RecordedOutcome | null)[]> {
  const input = records.map(({ sighting, meta, lease }, ord) => {
    // The stored sequencer is only known inside the statement: the stale reason's text is cut where it goes.
    const [staleBefore, staleAfter] = staleReason(sighting.sequencerSource ?? "", "\u0000").split("\u0000");
    return {
      ord,
      bot_id: sighting.botId,
      file_path: sighting.filePath,
      file_type: sighting.kind.fileType,
      lane: sighting.kind.lane,
      etag: sighting.etag ?? null,
      file_size: sighting.size ?? null,
      is_remove: sighting.action === "remove",
      sequencer: sighting.sequencer ?? null,
      sequencer_source: sighting.sequencerSource ?? null,
      lease_owner: lease?.owner ?? null,
      lease_ms: lease?.leaseMs ?? 0,
      ev_source: meta.source,
      ev_name: meta.eventName,
      ev_bucket: meta.bucket,
      ev_key: meta.key,
      ev_etag: meta.etag ?? null,
      ev_sequencer: meta.sequencer ?? null,
      stale_before: staleBefore,
      stale_after: staleAfter,
    };
  });
  const rows = await sql<(Partial<WrittenRow> & { ord: number; outcome: "queued" | "duplicate" | "stale"; reason: string | null; fresh_try: boolean; written: boolean })[]>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::text::jsonb) as x(
        ord int, bot_id uuid, file_path text, file_type text, lane text, etag text, file_size bigint, is_remove boolean,
        sequencer text, sequencer_source text, lease_owner text, lease_ms int,
        ev_source text, ev_name text, ev_bucket text, ev_key text, ev_etag text, ev_sequencer text, stale_before text, stale_after text)
    ), decision as (
      select i.*, p.revision as prev_revision,
        case
          when s.stale then 'stale'
          when i.is_remove then case when p.revision is null or not p.present then 'duplicate' else 'queued' end
          when p.present and p.etag = i.etag then 'duplicate'
          else 'queued'
        end as outcome,
        case
          when s.stale then i.stale_before || p.sequencer || i.stale_after
          when i.is_remove and p.revision is null then ${DUPLICATE_REASONS.untrackedRemoval}::text
          when i.is_remove and not p.present then ${DUPLICATE_REASONS.removalRecorded}::text
          when not i.is_remove and p.present and p.etag = i.etag then
            case p.sync_status when 'pending' then ${DUPLICATE_REASONS.pending}::text when 'synced' then ${DUPLICATE_REASONS.synced}::text
              when 'retry' then ${DUPLICATE_REASONS.retry}::text else ${DUPLICATE_REASONS.failed}::text end
        end as reason,
        i.is_remove or p.revision is null or not p.present or (i.etag is not null and p.etag is distinct from i.etag) as fresh_try
      from input as i
      left join drive_files as p on p.bot_id = i.bot_id and p.file_path = i.file_path
      cross join lateral (select coalesce(
        p.revision is not null and i.sequencer is not null and p.sequencer is not null and i.sequencer_source is not null
        and i.sequencer_source = p.sequencer_source
        and (i.etag is null or i.etag = p.processed_etag)
        and i.sequencer collate "C" < p.sequencer collate "C", false) as stale) as s
    ), up as (
      insert into drive_files (bot_id, file_path, file_type, lane, etag, file_size, present, sync_status, next_attempt_at, queued_at, sequencer, sequencer_source,
                               lease_owner, lease_until)
      select bot_id, file_path, file_type, lane, etag, file_size, not is_remove, 'pending', now(), now(), sequencer,
             case when sequencer is null then null else sequencer_source end,
             lease_owner, case when lease_owner is null then null else now() + lease_ms * interval '1 millisecond' end
      from decision where outcome = 'queued'
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
        attempts = case when (select d.fresh_try from decision as d where d.bot_id = excluded.bot_id and d.file_path = excluded.file_path)
          then 0 else drive_files.attempts end,
        -- Only a lease nobody holds is taken: not even an expired one of this process, whose job may still run.
        lease_owner = case when drive_files.lease_owner is null then excluded.lease_owner else drive_files.lease_owner end,
        lease_until = case when drive_files.lease_owner is null then excluded.lease_until else drive_files.lease_until end,
        updated_at = now()
      -- the revision read; a row inserted meanwhile (none was read) or changed since is left alone
      where drive_files.revision = (select d.prev_revision from decision as d where d.bot_id = excluded.bot_id and d.file_path = excluded.file_path)
      returning id, bot_id, file_path, file_type, etag, present, processed_etag, reprocess, queued_at, attempts, revision::text as revision,
        lease_owner, lease_until
    ), ev as (
      insert into botsync_events (source, event_name, bucket, object_key, etag, sequencer, outcome, reason, bot_id, file_path)
      select d.ev_source, d.ev_name, d.ev_bucket, d.ev_key, d.ev_etag, d.ev_sequencer, d.outcome, d.reason, d.bot_id, d.file_path
      from decision as d
      where d.outcome <> 'queued' or exists (select 1 from up where up.bot_id = d.bot_id and up.file_path = d.file_path)
      order by d.ord
    )
    select d.ord, d.outcome, d.reason, d.fresh_try, up.id is not null as written,
      up.id, up.bot_id, up.file_path, up.file_type, up.etag, up.present, up.processed_etag, up.reprocess, up.queued_at, up.attempts, up.revision,
      -- now() is the statement's transaction time: equal only for a lease this statement took
      coalesce(up.lease_owner = d.lease_owner and up.lease_until = now() + d.lease_ms * interval '1 millisecond', false) as leased
    from decision as d left join up on up.bot_id = d.bot_id and up.file_path = d.file_path
    order by d.ord`;
  if (rows.length !== records.length) throw new Error(`recording ${records.length} events returned ${rows.length} rows`);
  return rows.map((row, i) => {
    if (row.outcome !== "queued") return { outcome: row.outcome, reason: row.reason ?? "" };
    if (!row.written) return null;
    const decision = { outcome: "queued" as const, freshTry: row.fresh_try };
    return row.leased ? { ...decision, job: claimedJob(row as WrittenRow, records[i]!.sighting.kind.name) } : decision;
  });
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
