import postgres from "postgres";
import { randomBytes } from "node:crypto";
import { connectDatabase, type Sql } from "../../src/adapters/db/connect.js";
import { migrate } from "../../src/adapters/db/migrate.js";

/** A superuser connection to the local server (trust auth on this machine; .ci/run makes sure it runs). */
export function adminUrl(): string {
  return process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
}

export interface TestDatabase {
  name: string;
  url: string;
  sql: Sql;
  /** runs a statement as the superuser (outage simulation, inspection) */
  admin: postgres.Sql;
  drop(): Promise<void>;
}

/** A fresh, migrated database per test file, so files run in parallel and leave nothing behind. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const admin = postgres(adminUrl(), { max: 2, onnotice: () => {} });
  const name = `botsync_test_${randomBytes(6).toString("hex")}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const sql = connectDatabase(url.toString(), { max: 4 });
  if (options.migrate !== false) await migrate(sql);
  return {
    name,
    url: url.toString(),
    sql,
    admin,
    async drop() {
      await sql.end({ timeout: 1 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
