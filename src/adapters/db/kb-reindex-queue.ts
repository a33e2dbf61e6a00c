import { splitFilePath } from "../../core/jobs/job-types.js";
import { KB_FILE_TYPE } from "../../core/kb/kb-object-job.js";
import { kbPathOf } from "../../core/kb/kb-path.js";
import type { KbReindexQueue } from "../../core/kb/kb-reindex.js";
import { db, type Sql } from "./connect.js";

/**
 * Re-runs of KB documents, set through drive_files.reprocess so a job already running for a document does
 * not swallow them. Which KB a document is in comes from its key (kbPathOf), not from a path pattern.
 */
export class PgKbReindexQueue implements KbReindexQueue {
  constructor(private readonly sql: Sql) {}

  queueReindex(bot: { id: string; name: string }, kb?: string): Promise<{ queued: number; kbs: string[] }> {
    return db(async () => {
      const rows = await this.sql<{ id: string; file_path: string }[]>`
        select id, file_path from drive_files where bot_id = ${bot.id} and file_type = ${KB_FILE_TYPE} and present`;
      const kbOf = (filePath: string) => {
        const path = kbPathOf(bot.name, splitFilePath(filePath).key);
        return path.ok ? path.kb : null;
      };
      const kbs = [...new Set(rows.map((r) => kbOf(r.file_path)).filter((k): k is string => k !== null))].sort();
      const ids = rows.filter((r) => kb === undefined || kbOf(r.file_path) === kb).map((r) => r.id);
      if (ids.length === 0) return { queued: 0, kbs };
      const result = await this.sql`
        update drive_files set sync_status = 'pending', next_attempt_at = now(), queued_at = now(), reprocess = true, attempts = 0,
          revision = revision + 1, updated_at = now()
        where id = any(${ids}::uuid[])`;
      return { queued: result.count, kbs };
    });
  }
}
