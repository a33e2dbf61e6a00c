import { isSensitiveKey, MASKED_VALUE } from "../../core/config/sensitive-keys.js";
import { toObjectDiagnostic } from "../../core/config/config-object-job.js";
import type { ConfigDiagnostic } from "../../core/config/parse-config-csv.js";
import { kbPathOf } from "../../core/kb/kb-path.js";
import { splitFilePath, type SyncStatus } from "../../core/jobs/job-types.js";
import type {
  BotSummary,
  ConfigRow,
  ConfigSyncState,
  DialogState,
  EventRow,
  FileSyncState,
  KbDocumentState,
  ObjectState,
  StatusReader,
} from "../../core/ports/status-reader.js";
import { db, type Sql } from "./connect.js";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

interface BotRow {
  id: string;
  name: string;
  is_active: boolean | null;
  objects: number;
  synced: number;
  pending: number;
  retrying: number;
  failed: number;
  last_event_at: Date | null;
  config_synced_at: Date | null;
}

export class PgStatusReader implements StatusReader {
  constructor(private readonly sql: Sql) {}

  listBots(): Promise<BotSummary[]> {
    return db(async () => (await this.botRows(null)).map(toBot));
  }

  findBot(name: string): Promise<BotSummary | null> {
    return db(async () => {
      const [row] = await this.botRows(name);
      return row ? toBot(row) : null;
    });
  }

  private botRows(name: string | null) {
    return this.sql<BotRow[]>`
      select b.id, b.name, b.is_active,
        count(f.id)::int as objects,
        count(f.id) filter (where f.sync_status = 'synced')::int as synced,
        count(f.id) filter (where f.sync_status = 'pending')::int as pending,
        count(f.id) filter (where f.sync_status = 'retry')::int as retrying,
        count(f.id) filter (where f.sync_status = 'failed')::int as failed,
        (select max(e.received_at) from botsync_events e where e.bot_id = b.id) as last_event_at,
        (select s.last_sync_at from gbot_config_sync s where s.bot_id = b.id) as config_synced_at
      from bots b left join drive_files f on f.bot_id = b.id
      where ${name}::text is null or b.name = ${name}
      group by b.id order by b.name, b.created_at`;
  }

  listObjects(botId: string): Promise<ObjectState[]> {
    return db(async () => {
      const rows = await this.sql<
        {
          file_path: string; file_type: string; present: boolean; sync_status: SyncStatus; leased: boolean; etag: string | null;
          processed_etag: string | null; processed_at: Date | null; file_size: string | null; attempts: number;
          next_attempt_at: Date | null; last_error: string | null; diagnostics: ObjectState["diagnostics"] | null;
        }[]
      >`select file_path, file_type, present, sync_status, coalesce(lease_until > now(), false) as leased, etag, processed_etag,
               processed_at, file_size::text, attempts, next_attempt_at, last_error, diagnostics
        from drive_files where bot_id = ${botId} order by file_path`;
      return rows.map((r) => ({
        key: splitFilePath(r.file_path).key,
        filePath: r.file_path,
        fileType: r.file_type,
        present: r.present,
        status: r.sync_status,
        leased: r.leased,
        etag: r.etag,
        processedEtag: r.processed_etag,
        processedAt: iso(r.processed_at),
        size: r.file_size === null ? null : Number(r.file_size),
        attempts: r.attempts,
        nextAttemptAt: iso(r.next_attempt_at),
        lastError: r.last_error,
        diagnostics: r.diagnostics ?? [],
      }));
    });
  }

  listDialogs(botId: string): Promise<DialogState[]> {
    return db(async () => {
      const rows = await this.sql<
        {
          file_path: string; sync_status: SyncStatus; etag: string | null; processed_etag: string | null; last_error: string | null;
          diagnostics: DialogState["diagnostics"] | null; tool_name: string | null; is_active: boolean | null; compiled_at: Date | null;
          ast_path: string | null; schedules: string[] | null;
        }[]
      >`select f.file_path, f.sync_status, f.etag, f.processed_etag, f.last_error, f.diagnostics,
               t.tool_name, t.is_active, t.compiled_at, t.ast_path,
               (select array_agg(trim(s.schedule) order by s.schedule) from system_automations s
                where s.bot_id = f.bot_id and s.kind = 0 and s.param = t.tool_name) as schedules
        from drive_files f left join basic_tools t on t.bot_id = f.bot_id and t.file_path = f.file_path
        where f.bot_id = ${botId} and f.file_type = 'bas' order by f.file_path`;
      return rows.map((r) => ({
        ...fileSyncState(r),
        tool: r.tool_name ? { name: r.tool_name, active: r.is_active === true, compiledAt: r.compiled_at!.toISOString(), astPath: r.ast_path! } : null,
        schedules: r.schedules ?? [],
      }));
    });
  }

  listKbDocuments(botId: string): Promise<KbDocumentState[]> {
    return db(async () => {
      const rows = await this.sql<
        {
          file_path: string; sync_status: SyncStatus; etag: string | null; processed_etag: string | null; last_error: string | null;
          diagnostics: KbDocumentState["diagnostics"] | null; kb: string | null; chunk_count: number | null; indexed_at: Date | null;
        }[]
      >`select f.file_path, f.sync_status, f.etag, f.processed_etag, f.last_error, f.diagnostics,
               d.kb, d.chunk_count, d.indexed_at
        from drive_files f left join botsync_kb_documents d on d.bot_id = f.bot_id and d.document_path = f.file_path
        where f.bot_id = ${botId} and f.file_type = 'kb' order by f.file_path`;
      return rows.map((r) => {
        const { bucket, key } = splitFilePath(r.file_path);
        const path = kbPathOf(bucket.slice(0, -".gbai".length), key);
        return {
          ...fileSyncState(r),
          kb: r.kb ?? (path.ok ? path.kb : ""),
          chunks: r.chunk_count,
          indexedAt: iso(r.indexed_at),
        };
      });
    });
  }

  countObjects(): Promise<Array<{ kind: string; status: SyncStatus; count: number }>> {
    return db(async () => {
      const rows = await this.sql<{ kind: string; status: SyncStatus; count: number }[]>`
        select file_type as kind, sync_status as status, count(*)::int as count from drive_files group by 1, 2`;
      return [...rows];
    });
  }

  kbTotals(): Promise<{ documents: number; chunks: number }> {
    return db(async () => {
      const [row] = await this.sql<{ documents: number; chunks: number }[]>`
        select count(*)::int as documents, coalesce(sum(chunk_count), 0)::int as chunks from botsync_kb_documents`;
      return row!;
    });
  }

  configSync(botId: string): Promise<ConfigSyncState | null> {
    return db(async () => {
      const [row] = await this.sql<
        { config_file_path: string; file_hash: string; last_sync_at: Date; sync_count: number; owned: number | null; diagnostics: ConfigDiagnostic[] | null }[]
      >`select s.config_file_path, s.file_hash, s.last_sync_at, s.sync_count,
               cardinality(st.owned_keys) as owned, st.diagnostics
        from gbot_config_sync s left join botsync_config_state st on st.bot_id = s.bot_id
        where s.bot_id = ${botId}`;
      if (!row) return null;
      return {
        configFilePath: row.config_file_path,
        fileHash: row.file_hash,
        lastSyncAt: row.last_sync_at.toISOString(),
        syncCount: row.sync_count,
        ownedKeys: row.owned ?? 0,
        diagnostics: (row.diagnostics ?? []).map(toObjectDiagnostic),
      };
    });
  }

  listConfig(botId: string): Promise<ConfigRow[]> {
    return db(async () => {
      const rows = await this.sql<
        { config_key: string; config_value: string; config_type: string; is_encrypted: boolean; owned: boolean; updated_at: Date }[]
      >`select c.config_key, c.config_value, c.config_type, c.is_encrypted, c.updated_at,
               coalesce(c.config_key = any(st.owned_keys), false) as owned
        from bot_configuration c left join botsync_config_state st on st.bot_id = c.bot_id
        where c.bot_id = ${botId} order by c.config_key`;
      return rows.map((r) => ({
        key: r.config_key,
        // Secrets never leave through the API, sealed or not (a plaintext one may predate botsync).
        ...(r.is_encrypted || isSensitiveKey(r.config_key) ? { value: MASKED_VALUE, masked: true } : { value: r.config_value, masked: false }),
        type: r.config_type,
        isEncrypted: r.is_encrypted,
        source: r.owned ? "config.csv" : "other",
        updatedAt: r.updated_at.toISOString(),
      }));
    });
  }

  listEvents({ limit, botId }: { limit: number; botId?: string }): Promise<EventRow[]> {
    return db(async () => {
      const rows = await this.sql<
        {
          id: string; received_at: Date; source: string; event_name: string; bucket: string; object_key: string; etag: string | null;
          outcome: EventRow["outcome"]; reason: string | null; result: EventRow["result"]; object_status: string | null; last_error: string | null;
        }[]
      >`select e.id::text, e.received_at, e.source, e.event_name, e.bucket, e.object_key, e.etag, e.outcome, e.reason,
          case
            when e.outcome <> 'queued' then e.outcome
            when f.id is null then 'removed'
            when e.etag is not null and f.processed_etag = e.etag then 'processed'
            when f.sync_status = 'synced' then 'superseded'
            when f.sync_status = 'retry' then 'retrying'
            else f.sync_status
          end as result,
          f.sync_status as object_status, f.last_error
        from botsync_events e
        left join drive_files f on f.bot_id = e.bot_id and f.file_path = e.file_path
        where ${botId ?? null}::uuid is null or e.bot_id = ${botId ?? null}
        order by e.id desc limit ${limit}`;
      return rows.map((r) => ({
        id: r.id,
        receivedAt: r.received_at.toISOString(),
        source: r.source,
        eventName: r.event_name,
        bucket: r.bucket,
        key: r.object_key,
        etag: r.etag,
        outcome: r.outcome,
        reason: r.reason,
        result: r.result,
        objectStatus: r.object_status,
        lastError: r.last_error,
      }));
    });
  }

  check(): Promise<void> {
    return db(async () => {
      await this.sql`select 1`;
    });
  }
}

interface FileSyncRow {
  file_path: string;
  sync_status: SyncStatus;
  etag: string | null;
  processed_etag: string | null;
  last_error: string | null;
  diagnostics: FileSyncState["diagnostics"] | null;
}

function fileSyncState(r: FileSyncRow): FileSyncState {
  return {
    key: splitFilePath(r.file_path).key,
    filePath: r.file_path,
    status: r.sync_status,
    etag: r.etag,
    processedEtag: r.processed_etag,
    lastError: r.last_error,
    diagnostics: r.diagnostics ?? [],
  };
}

function toBot(r: BotRow): BotSummary {
  return {
    id: r.id,
    name: r.name,
    active: r.is_active !== false,
    objects: r.objects,
    synced: r.synced,
    pending: r.pending,
    retrying: r.retrying,
    failed: r.failed,
    lastEventAt: iso(r.last_event_at),
    configSyncedAt: iso(r.config_synced_at),
  };
}
