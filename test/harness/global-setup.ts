import postgres from "postgres";
import { adminUrl } from "./test-database.js";

/** Fails the run at once, with the fix, when the PostgreSQL server the tests need is not there. */
export default async function setup(): Promise<void> {
  const sql = postgres(adminUrl(), { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
  } catch (error) {
    throw new Error(
      `tests need PostgreSQL at ${adminUrl().replace(/:[^:@/]*@/, ":***@")} (set TEST_DATABASE_URL); .ci/run starts it. ${(error as Error).message}`,
    );
  } finally {
    await sql.end();
  }
}
