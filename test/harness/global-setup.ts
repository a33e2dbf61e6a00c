import postgres from "postgres";
import { buildIfStale } from "../../bin/build.mjs";
import { adminUrl } from "./test-database.js";

/**
 * Once per run, before any test file: fails the run at once, with the fix, when the PostgreSQL server the
 * tests need is not there; and brings the Node bundle (dist/node: the CLI and the service) up to date, so
 * the tests that run bin/botsync.mjs or the bundled service never build it themselves — concurrently from
 * several files, or again and again.
 */
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
  await buildIfStale();
}
