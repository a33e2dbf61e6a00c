import { db, type Sql } from "./connect.js";

/** The event log is for recent history; a week is enough to answer "what happened to my upload". */
export function pruneEvents(sql: Sql, keepDays = 7): Promise<number> {
  return db(async () => {
    const result = await sql`delete from botsync_events where received_at < now() - ${keepDays} * interval '1 day'`;
    return result.count;
  });
}
